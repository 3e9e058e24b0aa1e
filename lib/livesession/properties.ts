export type PropertyType = "str" | "int" | "float" | "bool";

export type PropertyProblem =
  | { key: string; problem: "unsuffixed" }
  | { key: string; problem: "type_mismatch"; expected: PropertyType; actual: string };

const CHECKS: Record<PropertyType, (value: unknown) => boolean> = {
  str: (v) => typeof v === "string",
  int: (v) => typeof v === "number" && Number.isInteger(v),
  float: (v) => typeof v === "number" && Number.isFinite(v),
  bool: (v) => typeof v === "boolean",
};

const SUFFIX = /_(str|int|float|bool)$/;

export function propertyType(key: string): PropertyType | null {
  const match = SUFFIX.exec(key);
  return match ? (match[1] as PropertyType) : null;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  return typeof value;
}

/**
 * Custom-event properties are typed by their key's suffix (`_str`, `_int`, `_float`, `_bool`).
 * Every property is kept; the ones that break the convention are reported, not rejected.
 */
export function checkProperties(properties: Record<string, unknown>): PropertyProblem[] {
  const problems: PropertyProblem[] = [];
  for (const [key, value] of Object.entries(properties)) {
    const expected = propertyType(key);
    if (!expected) problems.push({ key, problem: "unsuffixed" });
    else if (!CHECKS[expected](value)) problems.push({ key, problem: "type_mismatch", expected, actual: typeName(value) });
  }
  return problems;
}
