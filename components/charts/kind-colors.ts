/** One colour per event kind, shared by every chart (readable on light and dark backgrounds). */
export const KIND_COLORS: Record<string, string> = {
  JSError: "#d9363e",
  NetError: "#e0822b",
  ErrorClick: "#b0399e",
  RageClick: "#7c3aed",
  Custom: "#2b7de0",
};

export const OTHER_COLOR = "#8a8a96";

export function kindColor(kind: string): string {
  return KIND_COLORS[kind] ?? OTHER_COLOR;
}
