"""The message catalogs' common code, for tools/po-update and tools/po-check.

Two jobs:

- extraction: every message of the interface, as a template catalog
  (.pot): GNU xgettext reads `N_("...")` in src/**/*.c (adjacent literals
  joined, escapes decoded, as the compiler does), a small reader here the
  `{{_ Some words}}` of src/web/templates/*.html (the words trimmed), and
  msgcat joins the two;
- the .po files of src/web/po: read (to check them), and brought up to date
  by msgmerge (tools/po-update).

Only what Liaison's catalogs use is supported: no msgctxt, no plurals.  A
file that has them is refused with its line number rather than half read.
"""
import os
import re
import subprocess
import sys
import tempfile

LANGS = ("en", "fr", "es")
PO_DIR = os.path.join("src", "web", "po")
TEMPLATE_DIR = os.path.join("src", "web", "templates")
SOURCE_DIR = "src"


class PoError(Exception):
    """A .po file this module cannot read, or a gettext tool that failed; the message says which."""


def default_root():
    """The project folder: the parent of the folder holding this file."""
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def po_path(root, lang):
    return os.path.join(root, PO_DIR, lang + ".po")


def gettext_tool(*args):
    """Runs one of GNU gettext's programs; its standard output.  Its warnings pass through."""
    try:
        p = subprocess.run(args, capture_output=True, text=True, encoding="utf-8")
    except FileNotFoundError:
        raise PoError("%s is missing: install Debian's gettext (tools/setup does)" % args[0])
    if p.stderr:
        print(p.stderr.rstrip("\n"), file=sys.stderr)
    if p.returncode:
        raise PoError("%s failed (exit %d)" % (args[0], p.returncode))
    return p.stdout


# ---- extraction -------------------------------------------------------------

class Messages:
    """msgid -> the set of files (relative, with "/") that use it; and the template catalog itself."""

    def __init__(self, pot):
        self.pot = pot          # the text of the .pot
        self.refs = {}

    def add(self, msgid, path):
        self.refs.setdefault(msgid, set()).add(path)

    def __contains__(self, msgid):
        return msgid in self.refs

    def __len__(self):
        return len(self.refs)

    def sorted(self):
        return sorted(self.refs)


def _relative(root, path):
    return os.path.relpath(path, root).replace(os.sep, "/")


def _files(top, ext):
    for folder, dirs, files in os.walk(top):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(ext):
                yield os.path.join(folder, name)


def _read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


_TPL_COMMENT = re.compile(r"\{\{!.*?\}\}", re.S)
_TPL_MESSAGE = re.compile(r"\{\{_(.*?)\}\}", re.S)


def template_messages(text):
    """The words of each {{_ words}}, trimmed; commented-out ones are not."""
    text = _TPL_COMMENT.sub("", text)
    return [m.group(1).strip() for m in _TPL_MESSAGE.finditer(text) if m.group(1).strip()]


def extract(root):
    """Every message of the interface under root, with the .pot they make."""
    sources = [_relative(root, p) for p in _files(os.path.join(root, SOURCE_DIR), ".c")]
    with tempfile.TemporaryDirectory() as tmp:
        listing = os.path.join(tmp, "files")
        with open(listing, "w", encoding="utf-8") as f:
            f.write("\n".join(sources) + "\n")
        c_pot = gettext_tool("xgettext", "--directory", root, "--files-from", listing, "--language=C",
                             "--from-code=UTF-8", "--keyword=", "--keyword=N_", "--keyword=NC_:1c,2",
                             "--add-location=file",
                             "--no-wrap", "--force-po", "--output=-")
    catalog = parse_po(c_pot, "messages.pot")
    # a header of the charset alone: a creation date would change every catalog on every run
    catalog.header = Entry("", "Content-Type: text/plain; charset=UTF-8\n")
    for path in _files(os.path.join(root, TEMPLATE_DIR), ".html"):
        for msgid in template_messages(_read(path)):
            catalog.entries.setdefault(msgid, Entry(msgid)).refs.append(_relative(root, path))
    found = Messages(format_po(catalog))
    for msgid, e in catalog.entries.items():
        for ref in e.refs:
            found.add(msgid, ref)
    return found


# ---- printf placeholders ----------------------------------------------------

_PRINTF = re.compile(r"%(?:(\d+)\$)?([-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*)?)?"
                     r"(?:hh|h|ll|l|j|z|t|L)?[diouxXeEfFgGaAcspn%])")


def placeholders(s):
    """The printf conversions of s, in argument order ("%%" is not one)."""
    found = []
    for m in _PRINTF.finditer(s):
        if m.group(2) == "%":
            continue
        pos = int(m.group(1)) if m.group(1) else len(found) + 1
        found.append((pos, "%" + m.group(2)))
    return [spec for _, spec in sorted(found)]


# ---- .po files --------------------------------------------------------------

CONTEXT_END = "\x04"   # a message with a context is keyed "context\x04msgid", as a compiled catalog keys it


class Entry:
    def __init__(self, msgid, msgstr="", msgctxt=None):
        self.msgid = msgid
        self.msgstr = msgstr
        self.msgctxt = msgctxt  # None, or the context telling this msgid from another of the same text
        self.comments = []      # translator comments and "#|" lines, as they are
        self.flags = []         # "fuzzy", "c-format", ...
        self.refs = []          # files, from "#:" lines


class Catalog:
    def __init__(self, header=None, entries=None):
        self.header = header    # the Entry with msgid ""
        self.entries = entries if entries is not None else {}

    def get(self, msgid):
        return self.entries.get(msgid)


def default_header(lang):
    h = Entry("", "Content-Type: text/plain; charset=UTF-8\nLanguage: %s\n" % lang)
    h.comments = ["# Liaison's interface messages in %s.  The msgid is the English text." % lang]
    return h


_OCTAL = re.compile(r"[0-7]{1,3}")
_PO_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f",
               "v": "\v", "\\": "\\", '"': '"'}


def unquote(s, where):
    """The text of one quoted .po string ("..." with C escapes)."""
    s = s.strip()
    if len(s) < 2 or s[0] != '"' or s[-1] != '"':
        raise PoError("%s: expected a quoted string" % where)
    body, out, i = s[1:-1], [], 0
    while i < len(body):
        c = body[i]
        if c == '"':
            raise PoError("%s: unescaped quote" % where)
        if c != "\\":
            out.append(c)
            i += 1
            continue
        nxt = body[i + 1:i + 2]
        if nxt in _PO_ESCAPES:
            out.append(_PO_ESCAPES[nxt])
            i += 2
        elif nxt and nxt in "01234567":
            m = _OCTAL.match(body, i + 1)
            out.append(chr(int(m.group(), 8)))
            i = m.end()
        else:
            raise PoError("%s: unknown escape \\%s" % (where, nxt))
    return "".join(out)


def quote(s):
    """s as one .po string literal."""
    out = ['"']
    for c in s:
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif c == "\r":
            out.append("\\r")
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append("\\%03o" % ord(c))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


class _PoReader:
    """Line-by-line reader; `field` is the keyword being continued."""

    def __init__(self, name):
        self.name = name
        self.catalog = Catalog()
        self.cur = None
        self.field = None

    def where(self, n):
        return "%s:%d" % (self.name, n)

    def finish(self, n):
        e, self.cur, self.field = self.cur, None, None
        if e is None:
            return
        if e.msgid is None:
            raise PoError("%s: comments without an entry" % self.where(n))
        key = e.msgid if e.msgctxt is None else e.msgctxt + CONTEXT_END + e.msgid
        if key == "":
            if self.catalog.header is not None:
                raise PoError("%s: a second header" % self.where(n))
            self.catalog.header = e
        elif key in self.catalog.entries:
            raise PoError("%s: duplicate msgid %s" % (self.where(n), quote(key)))
        else:
            self.catalog.entries[key] = e

    def entry(self, n):
        """The entry being built; a comment after a msgstr starts a new one."""
        if self.cur is not None and self.field == "msgstr":
            self.finish(n)
        if self.cur is None:
            self.cur = Entry(None)
        return self.cur

    def line(self, n, line):
        if not line.strip():
            # Comments may stand apart from their entry; they wait for it.
            if self.cur is not None and self.cur.msgid is not None:
                self.finish(n)
        elif line.startswith("#~"):
            pass                                    # obsolete: dropped
        elif line.startswith("#"):
            self.comment(n, line)
        elif line.startswith('"'):
            if self.field is None:
                raise PoError("%s: a string outside any entry" % self.where(n))
            e = self.cur
            setattr(e, self.field, getattr(e, self.field) + unquote(line, self.where(n)))
        else:
            self.keyword(n, line)

    def comment(self, n, line):
        e = self.entry(n)
        if line.startswith("#,"):
            e.flags += [f.strip() for f in line[2:].split(",") if f.strip()]
        elif line.startswith("#:"):
            e.refs += line[2:].split()
        elif line.startswith("#."):
            pass                                    # extracted comments are regenerated
        else:
            e.comments.append(line)

    def keyword(self, n, line):
        word, _, rest = line.partition(" ")
        if word == "msgctxt":
            e = self.entry(n)
            if e.msgid is not None or e.msgctxt is not None:
                raise PoError("%s: msgctxt in the middle of an entry" % self.where(n))
            e.msgctxt, self.field = unquote(rest, self.where(n)), "msgctxt"
        elif word == "msgid":
            e = self.entry(n)
            if e.msgid is not None:
                raise PoError("%s: msgid without msgstr" % self.where(n))
            e.msgid, self.field = unquote(rest, self.where(n)), "msgid"
        elif word == "msgstr":
            if self.cur is None or self.cur.msgid is None or self.field != "msgid":
                raise PoError("%s: msgstr without msgid" % self.where(n))
            self.cur.msgstr, self.field = unquote(rest, self.where(n)), "msgstr"
        elif word == "msgid_plural" or word.startswith("msgstr["):
            raise PoError("%s: %s is not supported" % (self.where(n), word))
        else:
            raise PoError("%s: unexpected %s" % (self.where(n), quote(line[:40])))


def read_po(path):
    """The catalog in path; raises PoError (or OSError) if it cannot be read."""
    name = os.path.basename(path)
    try:
        text = _read(path)
    except UnicodeDecodeError:
        raise PoError("%s: not UTF-8" % name)
    return parse_po(text, name)


def parse_po(text, name):
    """The catalog in a .po's text; name is for the errors."""
    r = _PoReader(name)
    lines = text.split("\n")
    for n, line in enumerate(lines, 1):
        r.line(n, line.rstrip("\r"))
    if r.cur is not None and r.field != "msgstr" and r.cur.msgid is not None:
        raise PoError("%s: msgid without msgstr" % r.where(len(lines)))
    r.finish(len(lines))
    return r.catalog


def _field(keyword, s, force_lines=False):
    """keyword and s, one line per "\\n" when s holds several lines."""
    if not force_lines and "\n" not in s[:-1]:
        return ["%s %s" % (keyword, quote(s))]
    lines = ['%s ""' % keyword]
    for piece in re.findall(r"[^\n]*\n|[^\n]+", s):
        lines.append(quote(piece))
    return lines


def _entry_lines(e, header=False):
    lines = list(e.comments)
    if e.refs:
        lines.append("#: " + " ".join(e.refs))
    if e.flags:
        lines.append("#, " + ", ".join(e.flags))
    if e.msgctxt is not None:
        lines += _field("msgctxt", e.msgctxt)
    lines += _field("msgid", e.msgid)
    lines += _field("msgstr", e.msgstr, force_lines=header)
    return lines


def format_po(catalog):
    """The text of a catalog: header, then entries sorted by msgid."""
    blocks = [_entry_lines(catalog.header, header=True)]
    # as msgmerge --sort-output: by msgid, an entry without a context before those with one
    for e in sorted(catalog.entries.values(), key=lambda e: (e.msgid, e.msgctxt is not None, e.msgctxt or "")):
        blocks.append(_entry_lines(e))
    return "\n\n".join("\n".join(b) for b in blocks) + "\n"
