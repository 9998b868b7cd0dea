"""Renders jinja-cases.json's templates with Jinja2 the way transformers does, filling in "expected" or "error".

Run from this directory: python3 jinja-cases.py  (Jinja2 3.1.x). The Java interpreter test replays the file.
"""
import json

import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception

with open("jinja-cases.json", encoding="utf-8") as f:
    cases = json.load(f)
for case in cases:
    case.pop("expected", None)
    case.pop("error", None)
    try:
        case["expected"] = env.from_string(case["template"]).render(**case.get("context", {}))
    except Exception as e:  # the reference records the message of whatever Jinja2 raised
        case["error"] = str(e)
with open("jinja-cases.json", "w", encoding="utf-8") as f:
    json.dump(cases, f, ensure_ascii=False, indent=1)
    f.write("\n")
