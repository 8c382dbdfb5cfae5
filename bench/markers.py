"""Replaces the text between <!-- NAME:begin --> and <!-- NAME:end --> in a Markdown file, or appends a section with
those markers under HEADING when the file has none. Usage: python3 bench/markers.py FILE NAME HEADING < text"""
import re
import sys


def write_section(path, name, heading, table):
    with open(path) as file:
        text = file.read()
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    section = f"{begin}\n{table}{end}"
    if begin in text:
        text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: section, text, flags=re.S)
    else:
        text += f"\n## {heading}\n\n{section}\n"
    with open(path, "w") as file:
        file.write(text)


if __name__ == "__main__":
    write_section(sys.argv[1], sys.argv[2], sys.argv[3], sys.stdin.read())
