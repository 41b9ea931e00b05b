-- One row per document. id_key is ResourceId.key() (lower-cased); id keeps the caller's casing.
-- The key columns collate "C", byte by byte, whatever the database's default collation: a subtree
-- is the range id_key >= 'k/' AND id_key < 'k0' (docs/store.md), and pages follow Java's order of
-- keys; a linguistic collation (ICU, en_US) puts '_' before digits and '&' between '/' and '0'.
CREATE TABLE resources (
  id_key     TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  id         TEXT             NOT NULL,
  type_key   TEXT COLLATE "C" NOT NULL,
  parent_key TEXT COLLATE "C" NOT NULL,
  body       TEXT             NOT NULL,
  etag       TEXT             NOT NULL,
  generation BIGINT           NOT NULL,
  created_at TEXT             NOT NULL,
  updated_at TEXT             NOT NULL
);

-- Query.Depth.CHILDREN: the apps of a group, the role assignments at a scope, in key order.
CREATE INDEX resources_by_parent ON resources (type_key, parent_key, id_key);

-- Query.Depth.DESCENDANTS: every app of a subscription, as a key range within one type.
CREATE INDEX resources_by_type ON resources (type_key, id_key);
