// Encodes SDF glyphs in the protobuf format MapLibre reads for text (the "glyphs" URL of a
// style): glyphs { repeated fontstack stacks = 1 }, fontstack { name = 1, range = 2,
// repeated glyph glyphs = 3 }, glyph { id = 1, bitmap = 2, width = 3, height = 4, left = 5
// (sint32), top = 6 (sint32), advance = 7 }. Written by hand (a few varints) rather than
// pulling in a protobuf library for one message.

class Writer {
  constructor() {
    this.bytes = [];
  }

  varint(v) {
    let n = v >>> 0;
    while (n > 0x7f) {
      this.bytes.push((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    this.bytes.push(n);
  }

  /** Field `field` as a varint (wire type 0). */
  uint(field, v) {
    this.varint((field << 3) | 0);
    this.varint(v);
  }

  /** Field `field` as a zig-zag varint (sint32). */
  sint(field, v) {
    this.uint(field, ((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** Field `field` as length-delimited bytes (wire type 2). */
  bytesField(field, data) {
    this.varint((field << 3) | 2);
    this.varint(data.length);
    for (let i = 0; i < data.length; i++) this.bytes.push(data[i]);
  }

  string(field, s) {
    this.bytesField(field, new TextEncoder().encode(s));
  }
}

/**
 * One glyph range of one font stack. `glyphs`: [{id, bitmap (Uint8Array of
 * (width + 6) x (height + 6) SDF values: MapLibre's 3-pixel border), width, height, left, top,
 * advance}]. Returns a Uint8Array.
 */
export function encodeGlyphs(stackName, range, glyphs) {
  const stack = new Writer();
  stack.string(1, stackName);
  stack.string(2, range);
  for (const g of glyphs) {
    const w = new Writer();
    w.uint(1, g.id);
    if (g.bitmap && g.bitmap.length) w.bytesField(2, g.bitmap);
    w.uint(3, g.width);
    w.uint(4, g.height);
    w.sint(5, g.left);
    w.sint(6, g.top);
    w.uint(7, g.advance);
    stack.bytesField(3, w.bytes);
  }
  const top = new Writer();
  top.bytesField(1, stack.bytes);
  return Uint8Array.from(top.bytes);
}
