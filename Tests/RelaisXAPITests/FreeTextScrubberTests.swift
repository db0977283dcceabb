import RelaisCore
import RelaisXAPI
import Testing

struct FreeTextScrubberTests {
    let scrubber = FreeTextScrubber(names: ["Léa", "Anne-Marie", "Anne", "Diallo", "A"], classes: ["CM2 B"])

    @Test func namesAreReplacedAsWholeWordsWhateverTheirCaseAndAccents() {
        #expect(scrubber.scrub("Léa a répondu") == "[prénom] a répondu")
        #expect(scrubber.scrub("LEA et lea, puis léa!") == "[prénom] et [prénom], puis [prénom]!")
        #expect(scrubber.scrub("Léandre et Azalea restent") == "Léandre et Azalea restent")
        #expect(scrubber.scrub("Anne-Marie et Anne de la CM2 B (Mme Diallo)") == "[prénom] et [prénom] de la [classe] (Mme [prénom])")
        #expect(scrubber.scrub("cm2   b") == "[classe]")
        // One-letter names are ignored: they would erase ordinary words.
        #expect(scrubber.scrub("a b c") == "a b c")
        #expect(FreeTextScrubber(names: []).scrub("Léa") == "Léa")
    }

    @Test func responseAndStringExtensionsAreScrubbedNothingElse() throws {
        let statement: JSONValue = [
            "actor": ["account": ["homePage": "https://relais.invalid/0750654D", "name": "abc"]],
            "verb": ["id": "http://adlnet.gov/expapi/verbs/answered"],
            "object": ["id": "https://example.fr/q/Léa", "definition": ["name": ["fr": "Léa"], "extensions": ["https://x/e": "pour Léa"]]],
            "result": ["response": "Léa a répondu", "extensions": ["https://x/r": ["Anne", 3, ["note": "CM2 B"]]]],
            "context": ["extensions": ["https://x/c": "classe CM2 B"]],
        ]
        let out = scrubber.scrub(statement: statement)
        #expect(out["result"]?["response"] == "[prénom] a répondu")
        #expect(out["result"]?["extensions"]?["https://x/r"] == ["[prénom]", 3, ["note": "[classe]"]])
        #expect(out["context"]?["extensions"]?["https://x/c"] == "classe [classe]")
        #expect(out["object"]?["definition"]?["extensions"]?["https://x/e"] == "pour [prénom]")
        // Ids and the activity's name are not free text a pupil typed: left as they are.
        #expect(out["object"]?["id"] == "https://example.fr/q/Léa")
        #expect(out["object"]?["definition"]?["name"] == ["fr": "Léa"])
        #expect(out["actor"] == statement["actor"])
    }

    @Test func aSubStatementIsScrubbedToo() {
        let statement: JSONValue = [
            "object": ["objectType": "SubStatement", "result": ["response": "Diallo"]],
        ]
        #expect(scrubber.scrub(statement: statement)["object"]?["result"]?["response"] == "[prénom]")
    }
}
