// Strings a visitor's browser can put in a webhook, for the fuzz and XSS tests.

/** HTML and script a page must show as text, never run. Each sets window.__xss if it runs. */
export const SCRIPT_PAYLOADS = [
  "<script>window.__xss=1</script>",
  "<img src=x onerror=window.__xss=1>",
  '"><svg onload=window.__xss=1>',
  "javascript:window.__xss=1",
  "'><iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
  "</textarea></title></style><script>window.__xss=1</script>",
  '<a href="javascript:window.__xss=1">click</a>',
  "<details open ontoggle=window.__xss=1>",
  "${window.__xss=1}{{constructor.constructor('window.__xss=1')()}}",
  "&lt;b&gt;&#60;script&#62;<!--]]>",
] as const;

/** Well-formed text without NUL that stresses rendering and storage. */
export const UNICODE_EDGE = [
  "",
  " ",
  "\t\r\n",
  "😀",
  "👩‍👩‍👧‍👦",
  "🇵🇱🏳️‍🌈",
  "e\u0301\u0302\u0303\u0304",
  "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
  "\u202Egnp.exe\u202C",
  "שלום עולם",
  "مرحبا بالعالم",
  "\u200B\u200D\uFEFF\u2060",
  "\u2028\u2029\u0085",
  "\uFFFE\uFFFF",
  "𝕏𝕪𝕫\u{10FFFF}",
  "ßİﬃǅ",
  "\\\"'`%00%s%n",
  "\u0001\u001F\u007F",
] as const;

/** Text PostgreSQL cannot store unchanged (NUL) or that is not Unicode (lone surrogates). */
export const UNSTORABLE = ["\u0000", "a\u0000b", "\uD800", "\uDFFF", "x\uDBFFy", "\uDC00\uD800"] as const;

/** Keys that pollute an object's prototype when copied carelessly. */
export const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype"] as const;
