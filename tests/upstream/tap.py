"""TAP-style lines for the python suites that scripts/test counts: `ok N - what`, `not ok N - what`
with the detail as `#` comment lines, then `# done` (printed by the suite itself)."""


class Tap:
    def __init__(self):
        self.number = 0
        self.failures = 0

    def check(self, condition, what, detail=""):
        self.number += 1
        if condition:
            print(f"ok {self.number} - {what}", flush=True)
        else:
            self.failures += 1
            print(f"not ok {self.number} - {what}", flush=True)
            if detail:
                print("#   " + str(detail).replace("\n", "\n#   ")[:2000], flush=True)
        return condition
