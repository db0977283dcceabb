import RelaisCore
import RelaisXAPI
import Testing

struct StatementFormatTests {
    let statement: JSONValue = [
        "id": "6fbd600f-d17c-4c74-801a-2ec2e53231c9",
        "actor": ["objectType": "Agent", "name": "Léa", "mbox": "mailto:lea@example.fr"],
        "verb": ["id": "http://adlnet.gov/expapi/verbs/completed", "display": ["en-US": "completed", "fr-FR": "a terminé"]],
        "object": [
            "id": "https://relais.invalid/a/1",
            "definition": ["name": ["en": "Mental maths", "fr": "Calcul mental"], "type": "http://adlnet.gov/expapi/activities/course"],
        ],
        "context": ["contextActivities": ["parent": [["id": "https://relais.invalid/c", "definition": ["name": ["fr": "Cours"]]]]]],
    ]

    @Test func idsKeepOnlyWhatIdentifies() {
        let ids = StatementFormat.ids.apply(statement)
        #expect(ids["actor"] == ["objectType": "Agent", "mbox": "mailto:lea@example.fr"])
        #expect(ids["verb"] == ["id": "http://adlnet.gov/expapi/verbs/completed"])
        #expect(ids["object"] == ["objectType": "Activity", "id": "https://relais.invalid/a/1"])
        #expect(ids["context"]?["contextActivities"]?["parent"] == [["objectType": "Activity", "id": "https://relais.invalid/c"]])
        #expect(ids["id"] == statement["id"])
    }

    @Test func anonymousGroupsKeepTheirMembersIdentifiers() {
        let group: JSONValue = ["objectType": "Group", "name": "Team", "member": [["name": "A", "mbox": "mailto:a@b.c"]]]
        let ids = StatementFormat.ids.apply(statement.setting("actor", to: group))
        #expect(ids["actor"] == ["objectType": "Group", "member": [["objectType": "Agent", "mbox": "mailto:a@b.c"]]])
    }

    @Test func canonicalReducesLanguageMapsToThePreferredOne() {
        let canonical = StatementFormat.canonical.apply(statement, languages: LanguagePreference.parse("fr-CA, en;q=0.5"))
        #expect(canonical["verb"]?["display"] == ["fr-FR": "a terminé"])
        #expect(canonical["object"]?["definition"]?["name"] == ["fr": "Calcul mental"])
        #expect(canonical["actor"] == statement["actor"])
        let english = StatementFormat.canonical.apply(statement, languages: ["en-GB"])
        #expect(english["verb"]?["display"] == ["en-US": "completed"])
    }

    @Test func canonicalUsesTheLRSDefinition() {
        let known: JSONValue = ["name": ["fr": "Calcul mental (v2)", "en": "Mental maths"]]
        let canonical = StatementFormat.canonical.apply(statement, languages: ["fr"]) { $0 == "https://relais.invalid/a/1" ? known : nil }
        #expect(canonical["object"]?["definition"] == ["name": ["fr": "Calcul mental (v2)"]])
    }

    @Test func acceptLanguageIsOrderedByQuality() {
        #expect(LanguagePreference.parse("en;q=0.3, fr-FR, de;q=0, es;q=0.8") == ["fr-FR", "es", "en"])
        #expect(LanguagePreference.parse(nil) == [])
    }

    @Test func definitionsMergeLanguageByLanguage() {
        let first: JSONValue = ["name": ["fr": "Calcul"], "type": "http://x.y/t1"]
        let second: JSONValue = ["name": ["en": "Maths"], "type": "http://x.y/t2"]
        #expect(ActivityDefinition.merge(first, second) == ["name": ["fr": "Calcul", "en": "Maths"], "type": "http://x.y/t2"])
        #expect(ActivityDefinition.merge(nil, second) == second)
    }

    @Test func relationsFindEveryActivityAndAgent() {
        let withSub = statement.setting("authority", to: ["mbox": "mailto:auth@x.y"])
        #expect(StatementRelations.activityIds(in: withSub) == ["https://relais.invalid/a/1", "https://relais.invalid/c"])
        #expect(StatementRelations.agentKeys(in: withSub) == ["mbox:mailto:auth@x.y", "mbox:mailto:lea@example.fr"])
    }

    @Test func personListsEveryNameAndIdentifier() {
        let person = PersonObject.person(of: [["mbox": "mailto:a@b.c"], ["name": "Léa", "mbox": "mailto:a@b.c"], ["name": "Lea", "mbox": "mailto:a@b.c"]])
        #expect(person == ["objectType": "Person", "name": ["Léa", "Lea"], "mbox": ["mailto:a@b.c"]])
    }
}
