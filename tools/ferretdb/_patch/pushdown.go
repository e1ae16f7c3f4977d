// Added to FerretDB v1.24.2's internal/backends/sqlite package by Lexwatch's build (see
// edits.json and src/store/embedded-ferretdb.ts); not part of upstream FerretDB.

package sqlite

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
)

// lexwatchMaxPushedFields bounds the fields turned into SQL: each field that may hold an array
// doubles the branches of the condition (see lexwatchWhereClause).
const lexwatchMaxPushedFields = 3

// lexwatchPlainField is a top-level field name that needs no quoting beyond %q.
var lexwatchPlainField = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// lexwatchPushed is one filter field as SQL: its value equals one of texts, or (arrays) it is an array.
type lexwatchPushed struct {
	expr   string
	texts  []string
	arrays bool
}

// lexwatchWhereClause turns the equality conditions of a filter on top-level fields ({f: scalar},
// {f: {$eq: scalar}}, {f: {$in: [scalars]}}) into a WHERE clause that SQLite answers from the
// indexes FerretDB creates: the field is written exactly as in CREATE INDEX (`_ferretdb_sjson->"f"`,
// registry.go), and compared with the JSON text the document stores for the value.
//
// It is a pre-filter: the handler applies the whole filter to every row returned, so the clause
// may let through rows that do not match, never drop one that does. Hence:
//   - a field that holds an array matches a scalar it contains, so every field but _id also
//     passes when its JSON text is an array ('[' ≤ text < '\'); the clause is written as an OR of
//     ANDs (one branch per combination) so that each branch can seek a compound index;
//   - numbers: 5, int64 5 and 5.0 are equal but stored as their own JSON text; integers up to 2^53
//     are stored as the same decimal text by each type (and 0 also as -0), other doubles as Go's
//     JSON form; anything else (null, documents, regexes, dates, huge numbers) is not pushed down;
//   - other operators, dotted paths, $-keys and repeated keys are left to the handler.
func lexwatchWhereClause(filter *types.Document) (string, []any) {
	if filter == nil {
		return "", nil
	}

	seen := map[string]int{}
	for _, k := range filter.Keys() {
		seen[k]++
	}

	var pushed []lexwatchPushed

	for _, k := range filter.Keys() {
		if len(pushed) == lexwatchMaxPushedFields {
			break
		}

		if seen[k] != 1 || !lexwatchPlainField.MatchString(k) {
			continue
		}

		v, _ := filter.Get(k)

		texts, ok := lexwatchEqualityTexts(v)
		if !ok {
			continue
		}

		pushed = append(pushed, lexwatchPushed{
			expr:   fmt.Sprintf("%s->%q", metadata.DefaultColumn, k),
			texts:  texts,
			arrays: k != "_id", // MongoDB never stores an array as _id
		})
	}

	if len(pushed) == 0 {
		return "", nil
	}

	// Each field is (equal) or (an array); expand to an OR of ANDs over the combinations.
	branches := [][]int{{}}
	for _, p := range pushed {
		var next [][]int

		for _, b := range branches {
			next = append(next, append(append([]int{}, b...), 0))
			if p.arrays {
				next = append(next, append(append([]int{}, b...), 1))
			}
		}

		branches = next
	}

	var args []any
	ors := make([]string, len(branches))

	for i, b := range branches {
		ands := make([]string, len(pushed))

		for j, p := range pushed {
			if b[j] == 1 {
				// likelihood(): arrays are rare; without it SQLite may prefer another field's
				// equality to this range and read every row with that value.
				ands[j] = fmt.Sprintf("likelihood(%[1]s >= '[', 0.001) AND likelihood(%[1]s < '\\', 0.001)", p.expr)
				continue
			}

			if len(p.texts) == 1 {
				ands[j] = p.expr + " = ?"
			} else {
				ands[j] = p.expr + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(p.texts)), ", ") + ")"
			}

			for _, t := range p.texts {
				args = append(args, t)
			}
		}

		ors[i] = "(" + strings.Join(ands, " AND ") + ")"
	}

	return " WHERE " + strings.Join(ors, " OR "), args
}

// lexwatchEqualityTexts returns the stored JSON texts of every value that equals v (a scalar,
// {$eq: scalar} or {$in: [scalars]}), or false when v cannot be pushed down.
func lexwatchEqualityTexts(v any) ([]string, bool) {
	if op, isDoc := v.(*types.Document); isDoc {
		if op.Len() != 1 {
			return nil, false
		}

		switch op.Keys()[0] {
		case "$eq":
			return lexwatchScalarTexts(lexwatchValue(op.Get("$eq")))
		case "$in":
			list, isArray := lexwatchValue(op.Get("$in")).(*types.Array)
			if !isArray || list.Len() == 0 {
				return nil, false
			}

			var texts []string

			for i := 0; i < list.Len(); i++ {
				t, ok := lexwatchScalarTexts(lexwatchValue(list.Get(i)))
				if !ok {
					return nil, false
				}

				texts = append(texts, t...)
			}

			return texts, true
		}

		return nil, false
	}

	return lexwatchScalarTexts(v)
}

func lexwatchValue(v any, _ error) any { return v }

// lexwatchScalarTexts: see lexwatchEqualityTexts.
func lexwatchScalarTexts(v any) ([]string, bool) {
	switch v := v.(type) {
	case string, types.ObjectID, bool:
		b, err := sjson.MarshalSingleValue(v)
		if err != nil {
			return nil, false
		}

		return []string{string(b)}, true
	case int32:
		return lexwatchIntegerTexts(int64(v))
	case int64:
		return lexwatchIntegerTexts(v)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, false
		}

		if v == math.Trunc(v) {
			if math.Abs(v) > 1<<53 {
				return nil, false
			}

			return lexwatchIntegerTexts(int64(v))
		}

		b, err := sjson.MarshalSingleValue(v)
		if err != nil {
			return nil, false
		}

		return []string{string(b)}, true
	}

	return nil, false
}

func lexwatchIntegerTexts(i int64) ([]string, bool) {
	if i > 1<<53 || i < -(1<<53) {
		return nil, false
	}

	if i == 0 {
		return []string{"0", "-0"}, true
	}

	return []string{strconv.FormatInt(i, 10)}, true
}
