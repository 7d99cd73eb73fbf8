/** "1 version", "3 versions": a count with its noun, for English nouns that take an s. */
export const plural = (n: number, word: string) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;
