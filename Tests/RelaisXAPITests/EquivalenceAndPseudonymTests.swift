import RelaisCore
import RelaisXAPI
import Testing

struct StatementEquivalenceTests {
    @Test func idAuthorityStoredTimestampAndVersionAreIgnored() {
        let sent = sampleStatement { $0["id"] = "6fbd600f-d17c-4c74-801a-2ec2e53231c9" }
        let stored = sampleStatement {
            $0["id"] = "6fbd600f-d17c-4c74-801a-2ec2e53231c9"
            $0["stored"] = "2026-09-01T08:30:00.000Z"
            $0["timestamp"] = "2026-09-01T08:30:00.000Z"
            $0["authority"] = ["account": ["homePage": "https://relais.invalid/0750654D", "name": "relais"]]
            $0["version"] = "1.0.3"
        }
        #expect(StatementEquivalence.areEquivalent(sent, stored))
    }

    @Test func anyOtherDifferenceCounts() {
        let a = sampleStatement { $0["result"] = ["score": ["raw": 8]] }
        #expect(StatementEquivalence.areEquivalent(a, sampleStatement { $0["result"] = ["score": ["raw": 8.0]] }))
        #expect(!StatementEquivalence.areEquivalent(a, sampleStatement { $0["result"] = ["score": ["raw": 9]] }))
        #expect(!StatementEquivalence.areEquivalent(a, sampleStatement()))
    }
}

struct PseudonymizerTests {
    let pseudonymizer = Pseudonymizer(secret: Array(repeating: 7, count: 32), uai: "0750654D")

    /// Every string anywhere in a JSON value, keys included.
    func strings(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let s): [s]
        case .array(let a): a.flatMap(strings)
        case .object(let o): o.flatMap { [$0.key] + strings($0.value) }
        default: []
        }
    }

    @Test func accountNameIsTheHMACOfTheLocalUserId() {
        let account = pseudonymizer.account(forLocalUser: "u1")
        #expect(account["objectType"] == "Agent")
        #expect(account["account"]?["homePage"] == "https://relais.invalid/0750654D")
        let name = account["account"]?["name"]?.stringValue ?? ""
        // python3 -c "import hmac,hashlib;print(hmac.new(bytes([7]*32),b'u1',hashlib.sha256).hexdigest()[:32])"
        #expect(name == "bb36f8a41040fa514e765fba62879cba")
        #expect(Pseudonymizer(secret: Array(repeating: 8, count: 32), uai: "0750654D").accountName(forLocalUser: "u1") != name)
    }

    @Test func noNameOrMailboxIsLeftAnywhere() throws {
        let team: JSONValue = ["objectType": "Group", "name": "6e B", "member": [["name": "Tom Petit", "openid": "https://id.example/tom"]]]
        let inner = sampleStatement { $0["context"] = ["instructor": ["name": "M. Durand", "mbox_sha1sum": .string(String(repeating: "a", count: 40))]] }
        let statement = sampleStatement {
            $0["object"] = inner.setting("objectType", to: "SubStatement")
            $0["context"] = ["team": team, "instructor": ["name": "Mme Roux", "account": ["homePage": "https://ent.example", "name": "roux"]]]
        }
        let out = pseudonymizer.pseudonymize(statement)
        let text = strings(out)
        for leak in ["Léa Martin", "mailto:lea@example.fr", "6e B", "Tom Petit", "https://id.example/tom", "M. Durand", "Mme Roux", "roux", "mbox", "openid", "mbox_sha1sum", "https://ent.example"] {
            #expect(!text.contains(leak), "\(leak) left in \(String(decoding: out.serialized(), as: UTF8.self))")
        }
        #expect(out["actor"] == pseudonymizer.account(forLocalUser: "mbox:mailto:lea@example.fr"))
        #expect(out["context"]?["team"]?["objectType"] == "Group")
        #expect(out["context"]?["team"]?["member"]?.arrayValue?.first == pseudonymizer.account(forLocalUser: "openid:https://id.example/tom"))
        #expect(out["context"]?["instructor"] == pseudonymizer.account(forLocalUser: "account:https://ent.example|roux"))
        #expect(out["verb"] == statement["verb"])
        #expect(out["object"]?["object"] == statement["object"]?["object"])
        #expect(try StatementValidator.validate(out) == ())
    }

    @Test func sameInputSameBytes() {
        let statement = sampleStatement()
        #expect(pseudonymizer.pseudonymize(statement).serialized() == pseudonymizer.pseudonymize(statement).serialized())
    }

    @Test func theBoxsOwnAccountsAreUntouched() {
        let own = pseudonymizer.account(forLocalUser: "guest:7")
        let statement = sampleStatement {
            $0["actor"] = own
            $0["object"] = ["objectType": "Agent", "account": ["homePage": "https://relais.invalid/0750654D", "name": "x"]]
        }
        #expect(pseudonymizer.pseudonymize(statement) == statement)
        let named = sampleStatement { $0["actor"] = own.setting("name", to: "Léa") }
        #expect(pseudonymizer.pseudonymize(named)["actor"] == own)
    }

    @Test func anotherBoxsAccountIsReplaced() {
        let other = Pseudonymizer(secret: Array(repeating: 7, count: 32), uai: "0010001W").account(forLocalUser: "u1")
        #expect(pseudonymizer.pseudonymize(sampleStatement { $0["actor"] = other })["actor"] != other)
    }
}
