let regionNames: Intl.DisplayNames | null = null;

/** "Poland" for "PL"; null when the code is empty or unknown to Intl. */
export function countryName(code: string | null | undefined): string | null {
  if (!code) return null;
  try {
    regionNames ??= new Intl.DisplayNames(["en"], { type: "region" });
    const name = regionNames.of(code.toUpperCase());
    return name && name !== code.toUpperCase() ? name : null;
  } catch {
    return null;
  }
}
