// Where job outputs go, as Bedrock lays them out: an async invocation writes `<s3Uri>/<invocation id>/…`,
// a batch job `<output uri>/<job id>/<input file name>.out` and `manifest.json.out`.

const S3_URI = /^s3:\/\/([a-z0-9][.\-a-z0-9]{1,61}[a-z0-9])(\/.*)?$/;

export const isS3Uri = (uri: string): boolean => S3_URI.test(uri);

/** `s3://b/p/` + `a`, `b` → `s3://b/p/a/b` (one slash between parts, whatever the prefix ends with). */
export function joinS3(prefix: string, ...parts: string[]): string {
  return [prefix.replace(/\/+$/, ""), ...parts].join("/");
}

/** The last path segment of an object URI: `s3://b/in/records.jsonl` → `records.jsonl`. */
export function fileNameOf(uri: string): string {
  return uri.slice(uri.lastIndexOf("/") + 1);
}

/** A URI naming a folder (ends with `/`, or is a bare bucket) rather than one object. */
export function isFolderUri(uri: string): boolean {
  const m = S3_URI.exec(uri);
  return !m || !m[2] || m[2] === "/" || uri.endsWith("/");
}
