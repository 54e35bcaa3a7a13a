// Prints golden bytes produced by the real lib0 / yjs encoders for the C# encoding tests.
// Run: node tests/oracle/lib0-golden.mjs > /tmp/lib0-golden.txt
// The output lines are C# dictionary entries; paste them into
// tests/P2PSync.Crdt.Tests/Encoding/Lib0GoldenData.cs. Each name below is also used by a test
// (Lib0GoldenTests.cs) that replays the same values or call sequence in C#; keep the two in step.
import * as encoding from 'lib0/encoding'
import { UpdateEncoderV1, UpdateEncoderV2 } from 'yjs'

const hex = bytes => Buffer.from(bytes).toString('hex')
const out = []
const emit = (name, value) => out.push(`        ["${name}"] = "${value}",`)
const enc = (name, f) => emit(name, hex(encoding.encode(f)))

for (const n of [0, 1, 127, 128, 255, 256, 16383, 16384, 2 ** 31 - 1, 2 ** 32, 2 ** 53 - 1]) {
  enc(`varuint:${n}`, e => encoding.writeVarUint(e, n))
}
for (const n of [0, 1, -1, 63, 64, -63, -64, -65, 8191, 8192, 2 ** 31 - 1, -(2 ** 31 - 1), 2 ** 53 - 1, -(2 ** 53 - 1)]) {
  enc(`varint:${n}`, e => encoding.writeVarInt(e, n))
}
const strings = {
  empty: '',
  a: 'a',
  hello: 'hello',
  umlaut: 'ü',
  euro: '€',
  emoji: '😀',
  loneHigh: '\ud800',
  loneLowInside: 'a\udc00b',
  long: 'abcdefghij'.repeat(30)
}
for (const [k, s] of Object.entries(strings)) {
  enc(`varstring:${k}`, e => encoding.writeVarString(e, s))
}
enc('float32:1.5', e => encoding.writeFloat32(e, 1.5))
enc('float32:-0.25', e => encoding.writeFloat32(e, -0.25))
enc('float64:0.1', e => encoding.writeFloat64(e, 0.1))
enc('float64:-1e300', e => encoding.writeFloat64(e, -1e300))
enc('bigint64:0', e => encoding.writeBigInt64(e, 0n))
enc('bigint64:-1', e => encoding.writeBigInt64(e, -1n))
enc('bigint64:max', e => encoding.writeBigInt64(e, 2n ** 63n - 1n))
enc('varuint8array:010203', e => encoding.writeVarUint8Array(e, new Uint8Array([1, 2, 3])))

const anys = {
  null: null,
  undefined: undefined,
  true: true,
  false: false,
  zero: 0,
  negzero: -0,
  one: 1,
  minusone: -1,
  int31max: 2 ** 31 - 1,
  int31min: -(2 ** 31 - 1),
  int31over: 2 ** 31,
  int32min: -(2 ** 31),
  threeE9: 3e9,
  onePointFive: 1.5,
  pointOne: 0.1,
  nan: NaN,
  inf: Infinity,
  negInf: -Infinity,
  big: 1e20,
  maxSafe: 2 ** 53 - 1,
  bigint: 12345678901234567890n & (2n ** 63n - 1n),
  string: 'str',
  emptyString: '',
  bytes: new Uint8Array([1, 2, 3]),
  emptyArray: [],
  emptyObject: {},
  array: [1, 'two', null, true, [3.5]],
  object: { a: 1, b: [1, 2], c: { d: 'e' }, u: undefined },
  nested: { list: [{ x: 1 }, { y: [false, null] }], bin: new Uint8Array([255]) }
}
for (const [k, v] of Object.entries(anys)) {
  enc(`any:${k}`, e => encoding.writeAny(e, v))
}

const rle = (name, values) => {
  const e = new encoding.RleEncoder(encoding.writeUint8)
  values.forEach(v => e.write(v))
  emit(`rle:${name}`, hex(encoding.toUint8Array(e)))
}
rle('empty', [])
rle('single', [5])
rle('runs', [1, 1, 1, 2, 3, 3])
rle('alternating', [0, 1, 0, 1, 1])

const uintOpt = (name, values) => {
  const e = new encoding.UintOptRleEncoder()
  values.forEach(v => e.write(v))
  emit(`uintoptrle:${name}`, hex(e.toUint8Array()))
}
uintOpt('empty', [])
uintOpt('single', [7])
uintOpt('zero', [0])
uintOpt('zeros', [0, 0, 0])
uintOpt('mixed', [0, 0, 0, 1, 2, 2, 2, 2, 3])
uintOpt('large', [2 ** 32, 2 ** 32, 70000])

const intDiff = (name, values) => {
  const e = new encoding.IntDiffOptRleEncoder()
  values.forEach(v => e.write(v))
  emit(`intdiffoptrle:${name}`, hex(e.toUint8Array()))
}
intDiff('empty', [])
intDiff('zero', [0])
intDiff('three', [3])
intDiff('counting', [0, 1, 2, 3, 4, 10, 11, 12, 5, 5, 5])
intDiff('descending', [100, 90, 80, 81, 0])

const str = (name, values) => {
  const e = new encoding.StringEncoder()
  values.forEach(v => e.write(v))
  emit(`stringencoder:${name}`, hex(e.toUint8Array()))
}
str('empty', [])
str('mixed', ['a', 'bc', '', '😀', 'the quick brown fox jumps', 'x', 'x', 'x'])
str('splitpair', ['x\ud83d', '\ude00y'])

// The same call sequence on both update encoders.
const sequence = e => {
  e.writeClient(1)
  e.writeInfo(0x84)
  e.writeLeftID({ client: 1, clock: 0 })
  e.writeRightID({ client: 2, clock: 5 })
  e.writeParentInfo(true)
  e.writeString('root')
  e.writeParentInfo(false)
  e.writeTypeRef(3)
  e.writeLen(3)
  e.writeLen(3)
  e.writeLen(1)
  e.writeAny({ a: [1, 2.5, 'x'] })
  e.writeBuf(new Uint8Array([9, 8, 7]))
  e.writeJSON({ bold: true, n: 1.25 })
  e.writeKey('k1')
  e.writeKey('k2')
  e.writeKey('k1')
  e.writeString('hello 😀')
  e.writeClient(2 ** 40)
  e.writeInfo(0x84)
  e.writeInfo(0x28)
  e.writeLeftID({ client: 2 ** 40, clock: 7 })
  e.writeLeftID({ client: 2 ** 40, clock: 8 })
  e.resetDsCurVal()
  e.writeDsClock(3)
  e.writeDsLen(2)
  e.writeDsClock(10)
  e.writeDsLen(1)
  e.resetDsCurVal()
  e.writeDsClock(0)
  e.writeDsLen(7)
}
{
  const e = new UpdateEncoderV1()
  sequence(e)
  emit('updateencoder:v1', hex(e.toUint8Array()))
}
{
  const e = new UpdateEncoderV2()
  sequence(e)
  emit('updateencoder:v2', hex(e.toUint8Array()))
}

// JSON.stringify of numbers and strings, compared as text.
const numbers = [0, -0, 1, -1, 0.1, 1.5, 100, 1e21, 1e20, 123456789012345680000, 1e-6, 1e-7, 1.5e-7, 5e-324,
  1.7976931348623157e308, 0.000001234, 123.456, -98765.4321, 2 ** 53, 2 ** 53 + 2, 1 / 3, 2 / 3, 4.35, 0.3, 1e100, 12e-10]
numbers.forEach((n, i) => {
  const bytes = new Float64Array([n])
  emit(`json:number:${i}:${Buffer.from(bytes.buffer).toString('hex')}`, Buffer.from(JSON.stringify(n)).toString('hex'))
})
const jsonStrings = ['plain', 'quote"back\\slash', 'ctl\u0000\u0001\u001f\u007f', '\b\f\n\r\t', '/slash', 'emoji😀', 'lone\ud800x', 'low\udfff', '\u2028\u2029', 'é']
jsonStrings.forEach((s, i) => {
  emit(`json:string:${i}`, Buffer.from(JSON.stringify(s)).toString('hex'))
})

// JSON.parse then writeAny: checks parse typing and JS key order (index keys first).
const parsed = ['{"b":1,"a":2,"1":3,"0":4,"10":5,"01":6}', '[1,1.5,-0,1e2,"x",null,true,{"__proto__":1}]', '{"a":{"a":1,"a":2},"a":3}', '12345678901234567890', '-0.0', '1E400']
parsed.forEach((text, i) => {
  emit(`jsonparse:${i}`, hex(encoding.encode(e => encoding.writeAny(e, JSON.parse(text)))))
})

console.log(out.join('\n'))
