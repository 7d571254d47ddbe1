// Writes src/core/values/chartKeyData.ts from ../shared/charts/values-by-version/*.yaml (one values.yaml per published
// chart version), so every key knows the chart versions that have it.
// Run: npm run gen:chart-versions (builds, then runs out/scripts/chart-versions/generate.js).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chartKeyDataText } from './keyVersions';
import { readValuesByVersion, VALUES_BY_VERSION_LABEL } from './valuesByVersion';

// Run from out/scripts/chart-versions: the repository is three levels up.
const repo = join(__dirname, '../../..');
const out = join(repo, 'src/core/values/chartKeyData.ts');
const files = readValuesByVersion(repo);
writeFileSync(out, chartKeyDataText(files, VALUES_BY_VERSION_LABEL));
process.stdout.write(`wrote src/core/values/chartKeyData.ts from ${files.length} versions\n`);
