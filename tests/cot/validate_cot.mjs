// Validates picket's Cursor-on-Target events with @tak-ps/node-cot (web/package.json), the
// parser TAK tooling in JavaScript uses: its constructor checks every event against the CoT
// JSON schema and throws on a malformed one; then type, point, course, speed, stale and
// callsign are compared with the expectations printed by cot_sample_events.
//
// usage: node tests/cot/validate_cot.mjs PATH/TO/cot_sample_events
// exit 0 ok, 1 failure, 77 skipped (node-cot not installed: run `npm install` in web/).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const webPackage = path.join(here, '..', '..', 'web', 'package.json');

let CoT;
try {
    const resolved = createRequire(webPackage).resolve('@tak-ps/node-cot');
    CoT = (await import(pathToFileURL(resolved).href)).default;
} catch (err) {
    console.log(`SKIP: @tak-ps/node-cot not installed in web/ (${err.message})`);
    process.exit(77);
}

const helper = process.argv[2];
if (!helper) {
    console.error('usage: validate_cot.mjs COT_SAMPLE_EVENTS_BINARY');
    process.exit(2);
}

const lines = execFileSync(helper, { encoding: 'utf8' }).trim().split('\n');
let failures = 0;
function check(name, what, ok, got, want) {
    if (!ok) {
        failures++;
        console.error(`FAIL ${name}: ${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    }
}
const near = (a, b, tol) => Math.abs(a - b) <= tol;

for (const line of lines) {
    const want = JSON.parse(line);
    let cot;
    try {
        cot = new CoT(want.xml);
    } catch (err) {
        failures++;
        console.error(`FAIL ${want.name}: node-cot rejected the event: ${err.message}\n${want.xml}`);
        continue;
    }
    const f = cot.to_geojson();
    const p = f.properties;
    check(want.name, 'type', p.type === want.type, p.type, want.type);
    check(want.name, 'version', cot.raw.event._attributes.version === '2.0', cot.raw.event._attributes.version, '2.0');
    check(want.name, 'lat', near(f.geometry.coordinates[1], want.lat, 1e-7), f.geometry.coordinates[1], want.lat);
    check(want.name, 'lon', near(f.geometry.coordinates[0], want.lon, 1e-7), f.geometry.coordinates[0], want.lon);
    check(want.name, 'stale', p.stale === want.stale, p.stale, want.stale);
    check(want.name, 'stale after time', Date.parse(p.stale) > Date.parse(p.time), p.stale, p.time);
    if (want.callsign !== undefined)
        check(want.name, 'callsign', p.callsign === want.callsign, p.callsign, want.callsign);
    if (want.course !== undefined) {
        check(want.name, 'course', near(p.course, want.course, 0.05), p.course, want.course);
        check(want.name, 'speed', near(p.speed, want.speed, 0.005), p.speed, want.speed);
    }
}
console.log(`${lines.length} events checked, ${failures} failures`);
process.exit(failures ? 1 : 0);
