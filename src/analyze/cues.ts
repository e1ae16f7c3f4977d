/**
 * Context cue words per language, in the lexicon pattern syntax (lower case, `*` = stem).
 * They are compiled into the same trie as the lexicon, so finding them costs no extra pass.
 *
 * negationBefore / negationAfter: where the cue sits relative to the predicate ("not vermin";
 * Turkic "haşere değil", Armenian "միջատներ չեն"). reported: attribution and reported speech.
 * condemnation: the text distances itself from what it reports.
 */
export type CueKind = 'negationBefore' | 'negationAfter' | 'reported' | 'condemnation';

export const CUES: Record<string, Record<CueKind, string[]>> = {
  en: {
    negationBefore: ['not', 'no', 'never', 'nor', 'neither', 'none', 'nobody', 'cannot', 'without'],
    negationAfter: [],
    reported: ['said', 'says', 'say', 'saying', 'claimed', 'claims', 'claim', 'claiming', 'according to', 'alleged*',
      'stated', 'declared', 'wrote', 'told', 'tell', 'tells', 'telling', 'insisted', 'asserted', 'so-called',
      'call', 'calls', 'called', 'calling', 'described', 'describe', 'describes', 'describing', 'portrayed',
      'portray', 'portrays', 'depicted', 'depict', 'depicts', 'painted', 'branded', 'labelled', 'labeled',
      'show', 'shows', 'showed', 'shown', 'swore', 'vowed', 'promised', 'threatened', 'pledged', 'chanted',
      'shouted', 'slogan', 'slogans', 'quote', 'quoted', 'repeat', 'repeating', 'repeated',
      // Hate put in the mouth of someone else: "if you think X are vermin, you are the problem".
      'if you think', 'if you believe', 'if you say', 'anyone who thinks', 'anyone who says', 'anyone who believes',
      'people who think', 'people who say', 'people who believe', 'those who think', 'those who say', 'whoever thinks',
      'whoever says', 'the idea that', 'the notion that', 'the belief that', 'the myth that'],
    condemnation: ['condemn*', 'denounc*', 'wrong', 'wrongly', 'hateful', 'propaganda', 'racist',
      'racism', 'lie', 'lies', 'false', 'falsely', 'myth', 'hate speech', 'dehumaniz*', 'dehumanis*',
      'prejudice*', 'bigot*', 'shameful', 'reject*', 'slander*', 'blame', 'unacceptable', 'outrageous',
      'appalling', 'disgraceful', 'stereotype*', 'incite*', 'incitement', 'hatemonger*', 'xenophob*',
      'no place for', 'must stop', 'should stop', 'stop saying', 'stop calling', 'never acceptable',
      'not acceptable'],
  },
  ru: {
    negationBefore: ['не', 'ни', 'нет', 'никогда', 'нисколько', 'нельзя'],
    negationAfter: ['нет'],
    reported: ['заяв*', 'сказал*', 'якобы', 'по словам', 'утвержда*', 'писал*', 'мол', 'дескать',
      'так называем*', 'пишут', 'твердил*', 'твердят', 'кричал*', 'кричат', 'называ*', 'призывал*',
      'призывают', 'лозунг*', 'слыш* что', 'говор* что', 'считают что', 'по мнению'],
    condemnation: ['осужд*', 'осуди*', 'ложь', 'лжи', 'ложн*', 'миф*',
      'пропаганд*', 'клевет*', 'неправ*', 'неверно', 'предрассуд*', 'возмуща*', 'возмутительн*',
      'ксенофоб*', 'расизм*', 'расист*', 'шовинизм*', 'разжига*', 'язык* вражды', 'язык* ненависти',
      'недопустим*', 'оскорбля* ~1 памят*', 'стыд*', 'дискриминац*', 'стереотип*', 'дегуманиз*',
      'подло', 'позорно', 'мерзко', 'гнусно', 'бесчеловечно', 'это ненависть'],
  },
  tr: {
    negationBefore: ['asla', 'hiç', 'hiçbir', 'ne'],
    negationAfter: ['değil*', 'yok', 'yoktur'],
    // Reported speech: verbs of saying and hearing, and the textbook's own framing of a quoted
    // source (bildiri, ifade, benzeten: "the leaflet's expressions likening X to rats").
    reported: ['dedi', 'demiş', 'dedi ki', 'iddia*', 'söyledi', 'söylemiş', 'söylendi', 'söylenir', 'söylemek',
      'göre', 'sözde', 'açıkladı', 'deniyor', 'denildi', 'demesini', 'dediği', 'yazdı', 'yazmış',
      'yazılmış', 'yazılan', 'duy*', 'bildiri*', 'ifade*', 'benzet*', 'afiş*', 'slogan*'],
    // Not 'yalan*': 'yalan söyler' (lies) is a vice said of a group, not a verdict on the text.
    condemnation: ['kına*', 'kınıyor*', 'yanlış*', 'propaganda*', 'nefret söylem*', 'ırkçı*', 'yalandır', 'yalanı', 'yalanlar*', 'yalanını', 'reddet*',
      'hakaret*', 'utanç*', 'ayıp*', 'suçtur', 'suç teşkil*', 'kabul edilemez*', 'hesap ver*', 'meşrulaştır*',
      'ayrımcı*', 'önyargı*', 'kalıp yargı*', 'karala*', 'karalıyor*', 'insanlık dışı*', 'doğru değil*', 'gerçek değil*',
      'bunu silin', 'hemen silin', 'derhal silin', 'moderatör*', 'inkâr etmek', 'inkar etmek'],
  },
  az: {
    negationBefore: ['heç', 'nə'],
    negationAfter: ['deyil*', 'yox', 'yoxdur'],
    reported: ['dedi', 'deyib', 'deyiblər', 'dedi ki', 'iddia*', 'söylədi', 'bildirib', 'bildirdi', 'görə', 'guya',
      'sözdə', 'deyilir', 'deyirlər', 'demək', 'yazıb', 'yazıblar', 'yazdı', 'yazılıb', 'eşit*', 'adlandır*',
      'bənzəd*', 'vərəqə*', 'məqalə*', 'ifadə*', 'çağırış*', 'şüar*', 'sözlərini'],
    // Not 'yalan*': 'yalan danışır' (lies) is a vice said of a group, not a verdict on the text.
    condemnation: ['pislə*', 'qına*', 'yanlış*', 'təbliğat*', 'nifrət nitq*', 'irqçi*', 'yalandır', 'yalanı', 'yalanlar*', 'barədə yalan', 'rədd et*',
      'təhqir*', 'utanc*', 'biabırçı*', 'ayıb*', 'cinayətdir', 'qəbuledilməz*', 'cavab verməli*', 'bəraət qazandır*',
      'ayrı-seçkili*', 'qərəz*', 'stereotip*', 'böhtan*', 'həqiqət deyil*', 'doğru deyil*', 'silin', 'moderator*',
      'inkar etmək', 'inkar edən*'],
  },
  hy: {
    // մի is also "a/one"; a wrong negation only lowers priority, it never hides a flag.
    negationBefore: ['ոչ', 'մի', 'չեմ', 'չես', 'չէ', 'չենք', 'չեք', 'չեն', 'չէր', 'չէին', 'չէինք'],
    negationAfter: ['չեմ', 'չես', 'չէ', 'չենք', 'չեք', 'չեն', 'չէր', 'չէին', 'չէինք', 'ոչ'],
    reported: ['ասաց', 'ասել*', 'ասում է', 'ասում են', 'իբր', 'ըստ', 'պնդ*', 'հայտարար*', 'գրել*', 'գրում է', 'գրում էր',
      'գրել էր', 'կոչ արեց', 'կոչ էր անում', 'անվանել*', 'անվանում էր', 'անվանում են', 'այսպես կոչված',
      // chants, slogans, posters and leaflets that a text quotes
      'վանկարկ*', 'կարգախոս*', 'պաստառ*', 'թռուցիկ*', 'գրված էր', 'բղավում էին', 'գոռում էին', 'պահանջում էին'],
    // Not ատել* (it is also 'to hate') nor կեղծ* (deniers call a history կեղծ).
    condemnation: ['դատապարտ*', 'սխալ*', 'քարոզչ*', 'ատելության խոսք*', 'ատելության քարոզ*', 'ատելություն սերմանող*',
      'սուտ', 'ստություն*', 'կեղծիք*', 'ռասիստ*', 'ռասիզմ*', 'խտրական*', 'այլատյաց*', 'քսենոֆոբ*', 'ապամարդկայն*',
      'նախապաշարմ*', 'զրպարտ*', 'անհեթեթ*', 'անթույլատրելի', 'ամոթալի', 'ամոթ է', 'մերժել*', 'մերժում ենք', 'մերժում եմ',
      'հերքում*', 'հերքել*', 'ազգայնամոլ*', 'ատելություն հրահրող*', 'թշնամանք սերմանող*', 'դատապարտելի',
      'անընդունելի', 'ատելության կոչ*', 'ապատեղեկատվությ*', 'մանիպուլյացիա*', 'կեղծ պնդում*', 'ռասայական խտրականությ*'],
  },
};

/** Tokens before / after the predicate in which a negation cue counts. */
export const NEGATION_WINDOW_BEFORE = 3;
export const NEGATION_WINDOW_AFTER = 2;

/**
 * Turkic verb negation on the matched verb form itself: et-mə-di, et-me-z, et-mi-r, et-mi-yor,
 * ed-il-me-di. Tested on the suffix after a stem (an optional passive first). Only the forms the
 * Turkic analyzer reads as negative (morph.ts): the positive forms that also start with
 * -ma/-mə are not matched (infinitive -mak/-maq, necessitative -malı/-məli, the verbal noun -ma,
 * -ması, -maya, -mayı, -mamız: "yok etme emri", "öldürmemiz gerek").
 */
export const TURKIC_NEGATIVE_SUFFIX = /^(?:[ıiuü][ln]|n)?(?:m[aeə](?:z|d[ıiuü]|m[ıiuü]ş|m[aeə]|y[ıiuü][nzpb]|y[aeə].|s[ıiuü]n(?:l[aeə]r)?$|s[aeə])|m[ıiuü]r|m[ıiuü]yor)/u;
