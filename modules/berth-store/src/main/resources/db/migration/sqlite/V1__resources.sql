-- One row per document. id_key is ResourceId.key() (lower-cased); id keeps the caller's casing.
-- WITHOUT ROWID clusters the table on id_key, so a subtree (id_key between 'k/' and 'k0') is one
-- contiguous range scan: that serves deleteTree and root-scoped lists.
CREATE TABLE resources (
  id_key     TEXT    NOT NULL PRIMARY KEY,
  id         TEXT    NOT NULL,
  type_key   TEXT    NOT NULL,
  parent_key TEXT    NOT NULL,
  body       TEXT    NOT NULL,
  etag       TEXT    NOT NULL,
  generation INTEGER NOT NULL,
  created_at TEXT    NOT NULL,
  updated_at TEXT    NOT NULL
) WITHOUT ROWID;

-- Query.Depth.CHILDREN: the apps of a group, the role assignments at a scope, in key order.
CREATE INDEX resources_by_parent ON resources (type_key, parent_key, id_key);

-- Query.Depth.DESCENDANTS: every app of a subscription, as a key range within one type.
CREATE INDEX resources_by_type ON resources (type_key, id_key);
