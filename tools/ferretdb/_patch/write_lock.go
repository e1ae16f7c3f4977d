// Added to FerretDB v1.24.2's internal/handler package by Lexwatch's build (see edits.json and
// src/store/embedded-ferretdb.ts); not part of upstream FerretDB.

package handler

import "sync"

// lexwatchWriteMu serialises the commands that read a document and write it back (update,
// findAndModify, delete). FerretDB v1 runs each as a query followed by a rewrite of the whole
// document, with nothing held in between: two updates of one document at once, even of
// different fields, lose one of them, and two conditional updates can both win. MongoDB makes
// every single-document write atomic; under this lock FerretDB does too. SQLite allows one writer
// at a time anyway, so little concurrency is lost.
var lexwatchWriteMu sync.Mutex

func lexwatchLockWrites() func() {
	lexwatchWriteMu.Lock()
	return lexwatchWriteMu.Unlock
}
