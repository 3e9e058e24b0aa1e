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

/** A breakdown row's label: "Poland (PL)"; the code itself when Intl does not know it; "Unknown" for none. */
export function countryLabel(code: string): string {
  if (code === "" || code === "Unknown") return "Unknown";
  const name = countryName(code);
  return name ? `${name} (${code})` : code;
}
