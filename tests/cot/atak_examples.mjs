// Compares picket's CoT events with events ATAK made (tests/cot/atak_examples/, provenance in its
// README): both are parsed with @tak-ps/node-cot, and for each kind (emergency, emergency cancel,
// spot-map marker, delete task) picket's event must carry what ATAK's importers read from ATAK's
// own event of that kind, and no detail element ATAK's event of that kind does not have (besides
// remarks). The rules below are those of ATAK-CIV's EmergencyDetailHandler,
// EmergencyAlertReceiver, EmergencyType and CotDeleteImporter (see the README).
//
// usage: node tests/cot/atak_examples.mjs PATH/TO/cot_sample_events
// exit 0 ok, 1 failure, 77 skipped (node-cot not installed: run `npm install` in web/).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
    console.error('usage: atak_examples.mjs COT_SAMPLE_EVENTS_BINARY');
    process.exit(2);
}

// ATAK-CIV emergency/tool/EmergencyType.java: description <-> CoT type.
const kEmergencyTypes = {
    '911 Alert': 'b-a-o-tbl',
    'Cancel Alert': 'b-a-o-can',
    'Geo-fence Breached': 'b-a-g',
    'Ring The Bell': 'b-a-o-pan',
    'In Contact': 'b-a-o-opn',
};

let failures = 0;
function check(name, what, ok, detail = '') {
    if (!ok) {
        failures++;
        console.error(`FAIL ${name}: ${what}${detail ? ` (${detail})` : ''}`);
    }
}

const parse = (xml) => new CoT(xml).raw.event;
const detailOf = (ev) => ev.detail ?? {};
const links = (d) => (d.link === undefined ? [] : Array.isArray(d.link) ? d.link : [d.link]);
const attrs = (el) => (el && el._attributes) || {};
const elementNames = (d) => Object.keys(d).filter((k) => !k.startsWith('_'));

// Each ATAK example, and what ATAK reads from an event of its kind.
const examples = {
    emergency: ['emergency-911-alert.cot', 'emergency-ring-the-bell.cot'],
    cancel: ['emergency-cancel.cot'],
    spot: ['spot-map-marker.cot'],
    delete: ['delete-forcedelete.cot'],
};
const rules = {
    // EmergencyDetailHandler + EmergencyAlertReceiver.fromCot: a type starting "b-a", an
    // <emergency type> naming that type, and a <link uid type relation="p-p"> to the item.
    emergency(name, ev) {
        const d = detailOf(ev);
        const e = attrs(d.emergency);
        check(name, 'type starts with b-a', ev._attributes.type.startsWith('b-a'));
        check(name, '<emergency type> names the event type',
            kEmergencyTypes[e.type] === ev._attributes.type, `${e.type} / ${ev._attributes.type}`);
        const l = links(d).map(attrs);
        check(name, 'a <link relation="p-p"> with uid and type',
            l.some((a) => a.relation === 'p-p' && a.uid && a.type));
        check(name, '<contact callsign>', !!attrs(d.contact).callsign);
    },
    // EmergencyDetailHandler: cancel="true" removes the alert with the event's uid.
    cancel(name, ev) {
        const e = attrs(detailOf(ev).emergency);
        check(name, 'type b-a-o-can', ev._attributes.type === 'b-a-o-can');
        check(name, '<emergency cancel="true">', String(e.cancel) === 'true');
    },
    // A spot-map marker as Point Dropper makes it: <color argb> and the icon path naming the
    // same colour (ATAK shows a white dot when they disagree or one is missing).
    spot(name, ev) {
        const d = detailOf(ev);
        const argb = attrs(d.color).argb;
        check(name, 'type b-m-p-s-m', ev._attributes.type === 'b-m-p-s-m');
        check(name, '<color argb> is an integer', /^-?\d+$/.test(String(argb)), argb);
        check(name, '<usericon> is the spot map icon of that colour',
            attrs(d.usericon).iconsetpath === `COT_MAPPING_SPOTMAP/b-m-p-s-m/${argb}`);
        check(name, '<contact callsign>', !!attrs(d.contact).callsign);
    },
    // CotDeleteImporter: t-x-d-d, a <link> with uid, relation and type all set; __forcedelete to
    // remove the item at once.
    delete(name, ev) {
        const d = detailOf(ev);
        const l = links(d).map(attrs);
        check(name, 'type t-x-d-d', ev._attributes.type === 't-x-d-d');
        check(name, 'a <link> with uid, relation and type', l.length === 1 && !!l[0].uid &&
            !!l[0].relation && !!l[0].type);
        check(name, '<__forcedelete/>', d.__forcedelete !== undefined);
    },
};

// ATAK's own events must pass the rules (else the rules are wrong), and give the elements ATAK
// uses for each kind.
const atakElements = {};
for (const [kind, files] of Object.entries(examples)) {
    atakElements[kind] = new Set(['remarks']);
    for (const f of files) {
        const ev = parse(readFileSync(path.join(here, 'atak_examples', f), 'utf8'));
        rules[kind](`ATAK ${f}`, ev);
        for (const n of elementNames(detailOf(ev))) atakElements[kind].add(n);
    }
}

const samples = execFileSync(helper, { encoding: 'utf8' }).trim().split('\n').map((l) => JSON.parse(l));
let compared = 0;
for (const want of samples) {
    if (!want.kind) continue;
    let ev;
    try {
        ev = parse(want.xml);
    } catch (err) {
        failures++;
        console.error(`FAIL ${want.name}: node-cot rejected the event: ${err.message}`);
        continue;
    }
    compared++;
    rules[want.kind](want.name, ev);
    const d = detailOf(ev);
    for (const n of elementNames(d))
        check(want.name, `<${n}> is an element ATAK's own ${want.kind} events carry`,
            atakElements[want.kind].has(n), [...atakElements[want.kind]].join(' '));
    const l = links(d).map(attrs);
    if (want.link !== undefined) check(want.name, `links to ${want.link}`, l.some((a) => a.uid === want.link));
    else if (want.kind !== 'cancel') check(want.name, 'no link (no track to point at)', l.length === 0);
    if (want.emergency !== undefined)
        check(want.name, `emergency type ${want.emergency}`, attrs(d.emergency).type === want.emergency);
    if (want.argb !== undefined) check(want.name, `colour ${want.argb}`, attrs(d.color).argb === want.argb);
    if (want.cancels !== undefined)
        check(want.name, `cancels ${want.cancels} (same uid)`, ev._attributes.uid === want.cancels);
}
check('samples', 'every kind compared', compared >= 5, `${compared}`);
console.log(`${compared} picket events compared with ATAK's, ${failures} failures`);
process.exit(failures ? 1 : 0);
