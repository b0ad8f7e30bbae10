// Writes schema/access.schema.json from the zod schemas (run `npm run schema` after changing them;
// a test fails while the committed file is stale). Uses the compiled dist/ (npm run build).
const { writeFileSync, mkdirSync } = require('fs');
const { dirname, join } = require('path');
const { ACCESS_SCHEMA_PATH, accessRequestsJsonSchemaText } = require('../dist/requests/json-schema');

const target = join(__dirname, '..', ACCESS_SCHEMA_PATH);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, accessRequestsJsonSchemaText());
process.stdout.write(`wrote ${ACCESS_SCHEMA_PATH}\n`);
