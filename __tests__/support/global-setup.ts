import { join } from 'path';

// The end-to-end tests run the compiled executor in dist/ (as Terraform's local-exec does). Testing
// a dist/ older than the sources would test stale code: rebuild first, or fail saying why.
// The check is scripts/build-if-stale.js, which `npm start` runs too.

// eslint-disable-next-line @typescript-eslint/no-require-imports
const builder = require(join(__dirname, '..', '..', 'scripts', 'build-if-stale.js')) as {
  staleSources(root?: string): string[];
  describeStale(stale: string[]): string;
  buildIfStale(): string[];
};

export const staleSources = (root?: string): string[] => builder.staleSources(root);

export default function globalSetup(): void {
  const stale = builder.staleSources();
  if (stale.length === 0) return;
  if (process.env.SEGMENT_ACCESS_TEST_NO_BUILD) {
    throw new Error(`dist/ is older than the sources (${builder.describeStale(stale)}): the end-to-end tests would run stale code. Run \`npm run build\` first (\`npm test\` does).`);
  }
  process.stderr.write('\n');
  builder.buildIfStale();
}
