"""Checks the structure of an HTML5 page: a doctype first, every element
that is not void closed in order, unique ids, and no resource loaded from
elsewhere (no src or href with a scheme or a network path, no <link>, no
CSS url() or @import). Prints what is wrong and exits with 1."""
import html.parser
import re
import sys

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}


class Checker(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open = []
        self.ids = set()
        self.errors = []
        self.doctype = False
        self.seen_element = False

    def handle_decl(self, decl):
        if decl.lower() == "doctype html" and not self.seen_element:
            self.doctype = True

    def handle_starttag(self, tag, attrs):
        self.seen_element = True
        for name, value in attrs:
            if name == "id":
                if value in self.ids:
                    self.errors.append("duplicate id '%s'" % value)
                self.ids.add(value)
            if name in ("src", "href") and value and (
                    re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", value)
                    or value.startswith("//")):
                self.errors.append("external resource %s='%s'" % (name, value))
        if tag == "link":
            self.errors.append("<link> loads a resource")
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.errors.append("</%s> closes <%s>" %
                               (tag, self.open[-1] if self.open else "nothing"))
            return
        self.open.pop()

    def handle_data(self, data):
        if self.open and self.open[-1] == "style" and (
                "url(" in data or "@import" in data):
            self.errors.append("the style loads a resource")


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    checker = Checker()
    checker.feed(text)
    checker.close()
    if not checker.doctype:
        checker.errors.append("no <!DOCTYPE html> first")
    if checker.open:
        checker.errors.append("unclosed: %s" % " ".join(checker.open))
    for error in checker.errors:
        print(error)
    print("html: %s" % ("ok" if not checker.errors else "invalid"))
    return 1 if checker.errors else 0


if __name__ == "__main__":
    sys.exit(main())
