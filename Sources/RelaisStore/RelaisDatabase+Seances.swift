import GRDB

extension RelaisDatabase {
    /// Migration of the séance prête (issue 10): séances and their ordered activities, the
    /// hand-over of a séance to a substitute, the pupils who joined, the launches made within a
    /// séance, and the devices' séance access (substitute or pupil).
    ///
    /// Rules in the schema: states and kinds CHECKed, one position per activity, a hand-over
    /// window that ends after it starts, codes and access tokens kept as keyed hashes only
    /// (HMAC with the box secret: a six-character code's plain SHA-256 would be found by
    /// brute force from a copied database), and removing a class, a pupil or a séance removes
    /// what hangs from it.
    static func registerSeanceMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v10-seances") { db in
            try db.execute(sql: """
                CREATE TABLE seance (
                    id TEXT PRIMARY KEY NOT NULL,
                    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
                    classId TEXT NOT NULL REFERENCES schoolClass(id) ON DELETE CASCADE,
                    -- The teacher who prepared it; NULL for an « accès libre » opened by staff.
                    teacherId TEXT REFERENCES person(id) ON DELETE SET NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('preparee', 'libre')),
                    slotStart INTEGER,
                    slotEnd INTEGER,
                    instructions TEXT NOT NULL DEFAULT '' CHECK (length(instructions) <= 4000),
                    planB TEXT NOT NULL DEFAULT '' CHECK (length(planB) <= 4000),
                    state TEXT NOT NULL CHECK (state IN ('brouillon', 'confiee', 'en_cours', 'terminee')),
                    -- The join code is derived from the box secret and this nonce (so the projector
                    -- page can show it again); only its keyed hash is looked up.
                    joinNonce TEXT,
                    joinCodeHash TEXT UNIQUE CHECK (joinCodeHash IS NULL OR length(joinCodeHash) = 64),
                    createdBy TEXT REFERENCES person(id) ON DELETE SET NULL,
                    createdAt INTEGER NOT NULL,
                    updatedAt INTEGER NOT NULL,
                    startedAt INTEGER,
                    endedAt INTEGER,
                    CHECK (slotStart IS NULL OR slotEnd IS NULL OR slotEnd > slotStart),
                    CHECK ((state = 'en_cours') = (joinCodeHash IS NOT NULL))
                );
                CREATE INDEX seanceByTeacher ON seance(teacherId, createdAt);
                CREATE INDEX seanceByClass ON seance(classId);

                CREATE TABLE seanceActivity (
                    seanceId TEXT NOT NULL REFERENCES seance(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL CHECK (position >= 0),
                    bundleId TEXT NOT NULL CHECK (length(bundleId) >= 1),
                    -- The SCO (SCORM) or AU (cmi5) chosen; NULL: the bundle's first entry.
                    itemId TEXT,
                    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
                    PRIMARY KEY (seanceId, position)
                ) WITHOUT ROWID;

                -- One live hand-over per séance; « Confier » again replaces it (the old code stops).
                CREATE TABLE handover (
                    seanceId TEXT PRIMARY KEY NOT NULL REFERENCES seance(id) ON DELETE CASCADE,
                    codeHash TEXT NOT NULL UNIQUE CHECK (length(codeHash) = 64),
                    validFrom INTEGER NOT NULL,
                    validUntil INTEGER NOT NULL,
                    revokedAt INTEGER,
                    createdBy TEXT REFERENCES person(id) ON DELETE SET NULL,
                    createdAt INTEGER NOT NULL,
                    CHECK (validUntil > validFrom)
                );

                CREATE TABLE seanceJoin (
                    seanceId TEXT NOT NULL REFERENCES seance(id) ON DELETE CASCADE,
                    pupilId TEXT NOT NULL REFERENCES pupil(id) ON DELETE CASCADE,
                    joinedAt INTEGER NOT NULL,
                    PRIMARY KEY (seanceId, pupilId)
                ) WITHOUT ROWID;

                -- The launches made within a séance: what its progress table and report read.
                CREATE TABLE seanceLaunch (
                    launchId TEXT PRIMARY KEY NOT NULL REFERENCES launch(id) ON DELETE CASCADE,
                    seanceId TEXT NOT NULL REFERENCES seance(id) ON DELETE CASCADE,
                    pupilId TEXT NOT NULL REFERENCES pupil(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    createdAt INTEGER NOT NULL
                );
                CREATE INDEX seanceLaunchBySeance ON seanceLaunch(seanceId, pupilId, position);

                -- A device's access to one séance: a substitute (after the hand-over code) or a
                -- pupil (after the join code and their name). Only the token's hash is kept.
                CREATE TABLE seanceAccess (
                    tokenHash TEXT PRIMARY KEY NOT NULL CHECK (length(tokenHash) = 64),
                    seanceId TEXT NOT NULL REFERENCES seance(id) ON DELETE CASCADE,
                    role TEXT NOT NULL CHECK (role IN ('remplacant', 'eleve')),
                    pupilId TEXT REFERENCES pupil(id) ON DELETE CASCADE,
                    createdAt INTEGER NOT NULL,
                    expiresAt INTEGER NOT NULL,
                    CHECK ((role = 'eleve') = (pupilId IS NOT NULL))
                );
                CREATE INDEX seanceAccessBySeance ON seanceAccess(seanceId);
                """)
        }
    }
}
