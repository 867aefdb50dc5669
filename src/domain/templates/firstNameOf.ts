// Trailing punctuation (Unicode P*: `,` `.` `!` `)` `"` …) after the first word is not part of the name.
const TRAILING_PUNCTUATION = /\p{P}+$/u

/**
 * The first word of a full name without trailing punctuation, as `{{firstName}}` renders it:
 * `José, Jr.` → `José`, `  Asha Rao` → `Asha`, `Anne-Marie O'Neil` → `Anne-Marie`. Empty when the
 * name is empty or the first word is punctuation only.
 */
export const firstNameOf = (name: string): string => {
  const first = name.trim().split(/\s+/u, 1)[0] ?? ''
  return first.replace(TRAILING_PUNCTUATION, '')
}
