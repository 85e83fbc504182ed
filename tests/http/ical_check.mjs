// ical_check — reads an iCalendar stream on standard input and parses it
// with ical.js, an iCalendar (RFC 5545) parser that is not Liaison's, so the
// HTTP tests judge what Liaison writes by someone else's reading of the RFC.
//
// Prints {"method", "events": [{uid, summary, description, location, start,
// end, start_is_date, end_is_date, status}]} as JSON; exits 1 with one line
// on standard error when the stream does not parse, is not one VCALENDAR of
// version 2.0, or holds an event without UID, DTSTART or DTSTAMP.
import ICAL from "ical.js";
import { readFileSync } from "node:fs";

function fail(why) {
  process.stderr.write("ical_check: " + why + "\n");
  process.exit(1);
}

let cal;
try {
  cal = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
} catch (e) {
  fail("does not parse: " + e.message);
}
if (cal.name !== "vcalendar")
  fail(`the stream is a ${cal.name}, not a vcalendar`);
if (cal.getFirstPropertyValue("version") !== "2.0")
  fail("VERSION is not 2.0");
const events = cal.getAllSubcomponents("vevent").map((v, i) => {
  for (const p of ["uid", "dtstart", "dtstamp"])
    if (!v.hasProperty(p))
      fail(`event ${i} has no ${p.toUpperCase()}`);
  const start = v.getFirstPropertyValue("dtstart"), end = v.getFirstPropertyValue("dtend");
  return {
    uid: v.getFirstPropertyValue("uid"),
    summary: v.getFirstPropertyValue("summary"),
    description: v.getFirstPropertyValue("description"),
    location: v.getFirstPropertyValue("location"),
    start: start.toString(), start_is_date: start.isDate,
    end: end ? end.toString() : null, end_is_date: end ? end.isDate : null,
    status: v.getFirstPropertyValue("status"),
    attendees: v.getAllProperties("attendee").length,
  };
});
process.stdout.write(JSON.stringify({ method: cal.getFirstPropertyValue("method"), events }) + "\n");
