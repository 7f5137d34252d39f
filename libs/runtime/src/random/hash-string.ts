/** 32-bit FNV-1a hash of a string's UTF-16 code units: stable seeds from ids (`new SeededRng(hashString(userId))`). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < text.length; k++) {
    h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  }
  return h >>> 0;
}
