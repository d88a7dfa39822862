// File names as the summary line lists them: 'a, b and c'.
export function listOf(files: string[]): string {
  return files.length < 2 ? (files[0] ?? '') : `${files.slice(0, -1).join(', ')} and ${files.at(-1)}`;
}
