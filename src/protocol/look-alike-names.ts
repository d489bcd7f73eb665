/**
 * Names that look the same to a person: "Ann" and "Аnn" (with a Cyrillic А), "ann" and "ANN", "Ａｎｎ"
 * (full width) and "Ann". The server lets people choose their names, so two people in a room may look
 * alike, by accident or to impersonate; the page then labels each with a short part of their peer id.
 */

/**
 * Letters of other scripts drawn like Latin ones: the common part of Unicode's confusables list
 * (https://www.unicode.org/Public/security/latest/confusables.txt) for Cyrillic and Greek, after NFKC and
 * lower-casing.
 */
const LATIN_LOOK_ALIKES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  һ: 'h',
  і: 'i',
  ї: 'i',
  ј: 'j',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ɡ: 'g',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ı: 'i',
  '0': 'o',
  '1': 'l',
  '|': 'l',
};

/** What a name looks like, folded: equal skeletons are names a person may not tell apart. */
export function nameSkeleton(name: string): string {
  const folded = name
    .normalize('NFKC')
    .toLowerCase()
    // Marks and joiners change little of how a name looks at a glance.
    .normalize('NFD')
    .replace(/[\p{M}\u200c\u200d]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
  return Array.from(folded, (char) => LATIN_LOOK_ALIKES[char] ?? char)
    .join('')
    .replace(/i/g, 'l');
}

/**
 * The label to show for each person: the name itself, or, where another person's name looks the same, the
 * name followed by the first characters of the peer id ("Ann · 4f2a"), which nobody can choose.
 *
 * @example
 * distinctNames([{ id: 'k3Jd9sXq', name: 'Ann' }, { id: 'Zp0aQ71m', name: 'Аnn' }])
 * // → Map { 'k3Jd9sXq' => 'Ann · k3Jd', 'Zp0aQ71m' => 'Аnn · Zp0a' }
 */
export function distinctNames(people: readonly { id: string; name: string }[]): Map<string, string> {
  const bySkeleton = new Map<string, number>();
  for (const person of people) {
    const skeleton = nameSkeleton(person.name);
    bySkeleton.set(skeleton, (bySkeleton.get(skeleton) ?? 0) + 1);
  }
  return new Map(
    people.map((person) => [
      person.id,
      (bySkeleton.get(nameSkeleton(person.name)) ?? 0) > 1
        ? `${person.name} · ${person.id.slice(0, 4)}`
        : person.name,
    ]),
  );
}
