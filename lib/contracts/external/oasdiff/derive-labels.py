# How pairs.json was derived from oasdiff's own tests (run in a checkout of oasdiff at the commit
# named in README.md: `python3 derive-labels.py > pairs.json`, then keep the pairs that are not WARN).
# A test that opens two files of data/checker/ without changing them in code, and asserts which
# rule ids it expects, labels that pair with the rule ids' levels from checker/rules.go: ERR is
# breaking, INFO (or nothing expected) is not, WARN ("potentially breaking") is left out.
import glob, json, re

rule_level = dict(re.findall(r"newBackwardCompatibilityRule\((\w+),\s*(ERR|WARN|INFO)", open("checker/rules.go").read()))
rule_name = {}
for f in glob.glob("checker/*.go"):
    if not f.endswith("_test.go"):
        rule_name.update(re.findall(r'(\w+Id)\s*=\s*"([\w.-]+)"', open(f).read()))

pairs = {}
for f in sorted(glob.glob("checker/*_test.go")):
    for name, body in re.findall(r"^func (Test\w+)\(t \*testing\.T\) \{\n(.*?)^\}", open(f).read(), re.S | re.M):
        opened = dict(re.findall(r'(s[12]), err :?= open\("\.\./data/checker/([\w.-]+)"', body))
        if set(opened) != {"s1", "s2"} or opened["s1"] == opened["s2"]:
            continue
        # Tests that edit the loaded documents in code do not describe the files as they are.
        if re.search(r"\bs[12]\.Spec\.[^\n]*=[^=]", body) or re.search(r"\bs[12]\.Spec\.[^\n]*\.(Set|Delete|Add)\w*\(", body):
            continue
        if "diff.Get(" not in body and "CheckBackwardCompatibility" not in body:
            continue
        asserted = re.sub(r"^.*Not(Equal|Contains).*$", "", body, flags=re.M)
        ids = [i for i in re.findall(r"checker\.(\w+Id)\b", asserted) if i in rule_level]
        expects_nothing = bool(re.search(r"require\.Empty\(t, errs\)|require\.Len\(t, errs, 0\)", body))
        if not ids and not expects_nothing:
            continue
        pair = pairs.setdefault((opened["s1"], opened["s2"]), {"ids": set(), "tests": []})
        pair["ids"].update(ids)
        pair["tests"].append(name)

out = []
for (base, revision), pair in sorted(pairs.items()):
    levels = {rule_level[i] for i in pair["ids"]}
    level = "ERR" if "ERR" in levels else "WARN" if "WARN" in levels else "INFO" if levels else "none"
    out.append({"base": base, "revision": revision, "breaking": level == "ERR", "level": level,
                "rules": sorted(rule_name.get(i, i) for i in pair["ids"]), "tests": pair["tests"]})
print(json.dumps(out, indent=1))
