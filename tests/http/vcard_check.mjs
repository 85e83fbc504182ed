// vcard_check — reads a vCard stream on standard input and parses it with
// ical.js, a vCard 4.0 (RFC 6350) parser that is not Liaison's, so the HTTP
// tests judge what Liaison writes by someone else's reading of the RFC.
//
// Prints the cards as jCard (RFC 7095) JSON, one array per card; exits 1
// with one line on standard error when the stream does not parse, when a
// card is not version 4.0 or lacks FN, when a property is not one RFC 6350
// defines (nor an X- extension), or when a URI value is no URI.
import ICAL from "ical.js";
import { readFileSync } from "node:fs";

function fail(why) {
  process.stderr.write("vcard_check: " + why + "\n");
  process.exit(1);
}

const text = readFileSync(0, "utf8");
let parsed;
try {
  parsed = ICAL.parse(text);
} catch (e) {
  fail("does not parse: " + e.message);
}
// one card parses to a jCard, several to an array of them
const cards = typeof parsed[0] === "string" ? [parsed] : parsed;
const known = ICAL.design.vcard.property;
cards.forEach((card, i) => {
  const [name, props] = card;
  if (name !== "vcard")
    fail(`component ${i} is ${name}, not vcard`);
  if (!props.length || props[0][0] !== "version" || props[0][3] !== "4.0")
    fail(`card ${i} does not start with VERSION:4.0`);
  if (props.filter((p) => p[0] === "version").length !== 1)
    fail(`card ${i} has more than one VERSION`);
  if (!props.some((p) => p[0] === "fn" && String(p[3]).length))
    fail(`card ${i} has no FN`);
  for (const [prop, , type, ...values] of props) {
    if (!known[prop] && !prop.startsWith("x-"))
      fail(`card ${i}: ${prop} is no vCard 4.0 property`);
    if (type === "uri") {
      for (const v of values) {
        try { new URL(v); } catch { fail(`card ${i}: ${prop} value ${v} is no URI`); }
      }
    }
  }
});
process.stdout.write(JSON.stringify(cards) + "\n");
