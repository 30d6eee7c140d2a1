// Track symbols as standard APP-6(D) / MIL-STD-2525D symbol identification codes (20-digit
// SIDCs) for milsymbol: the frame and fill come from the standing (standard identity), the
// icon from the class (symbol set + entity). Dark targets (no AIS) are not a standard idea:
// the atlas marks them with a black corner square (symbol_atlas.js).

export const STANDINGS = ['friendly', 'hostile', 'suspect', 'neutral', 'unknown'];
export const CLASSES = ['vessel', 'fast_boat', 'person', 'vehicle', 'aircraft', 'unknown'];

/** Standard identity digit: 1 unknown, 3 friend, 4 neutral, 5 suspect, 6 hostile. */
const IDENTITY = { unknown: '1', friendly: '3', neutral: '4', suspect: '5', hostile: '6' };

/** [symbol set, entity] per class. */
const ENTITY = {
  vessel: ['30', '140100'], // sea surface, civilian merchant ship
  fast_boat: ['30', '140502'], // sea surface, motorised leisure craft: speedboat
  person: ['11', '110300'], // land civilian: individual
  vehicle: ['15', '160100'], // land equipment: civilian automobile
  aircraft: ['01', '120000'], // air: civilian
  unknown: ['30', '000000'], // sea surface frame, no icon: what it is is not known
};

/** The 20-digit SIDC for a track of `standing` and `cls` (unknown values fall back). */
export function sidcFor(standing, cls) {
  const id = IDENTITY[standing] ?? IDENTITY.unknown;
  const [set, entity] = ENTITY[cls] ?? ENTITY.unknown;
  // version 10, context 0 (reality), identity, set, status 0 (present), HQ/TF 0, echelon 00,
  // entity, modifiers 00 00
  return `100${id}${set}0000${entity}0000`;
}

/** Index of (standing, class, dark) in the atlas: every combination has one cell. */
export function symbolIndex(standing, cls, dark) {
  let s = STANDINGS.indexOf(standing);
  if (s < 0) s = STANDINGS.indexOf('unknown');
  let c = CLASSES.indexOf(cls);
  if (c < 0) c = CLASSES.length - 1;
  return (s * CLASSES.length + c) * 2 + (dark ? 1 : 0);
}

export const SYMBOL_COUNT = STANDINGS.length * CLASSES.length * 2;
