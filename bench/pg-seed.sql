-- SPDX-License-Identifier: GPL-3.0-or-later
-- Fills an empty PostgreSQL store with :n generated personas, for
-- bench-store (run by hand).  Make the schema first by opening the
-- database once (bench-store URI), then:
--   psql "$URI" -v n=100000 -f bench/pg-seed.sql
-- Names are ASCII, so the search keys are lower case (as the store folds them).
BEGIN;
INSERT INTO personas (id, first_name, last_name, name_key, last_key, primary_email, primary_phone,
                      points, loyalty, signup_source, sources)
SELECT i, f, l, lower(f || ' ' || l), lower(l), 'p' || i || '@example.com',
       '+1202' || lpad((i % 10000000)::text, 7, '0'), i % 500, i % 2,
       (ARRAY['Import', 'Manual', 'API'])[1 + i % 3], ''
FROM generate_series(1, :n) AS i,
     LATERAL (SELECT (ARRAY['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael',
                            'Linda', 'Grace', 'Jose'])[1 + i % 10] AS f,
                     (ARRAY['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller',
                            'Davis', 'Martinez', 'Lopez'])[1 + (i / 10) % 10] || (i % 997) AS l) AS names;
INSERT INTO emails (persona_id, position, email, live) SELECT id, 0, primary_email, true FROM personas;
INSERT INTO phones (persona_id, position, phone, national, national_rev, live)
  SELECT id, 0, primary_phone, substr(primary_phone, 3), reverse(substr(primary_phone, 3)), true FROM personas;
SELECT setval(pg_get_serial_sequence('personas', 'id'), (SELECT max(id) FROM personas));
COMMIT;
ANALYZE;
