/**
 * The read-only view of the model that the compiler and the dialects read.
 * `runtime/model` builds these objects from `db.define(...)`; nothing below
 * the runtime ever sees an entity class, only this description: entities,
 * their attributes, and the columns each attribute occupies.
 */

/** The value types of §3, as the SQL layers see them. */
export type ScalarType =
  | 'string'   // String: VARCHAR(maxLen) / TEXT
  | 'longstr'  // LongStr: TEXT, lazy by default
  | 'number'   // Number: double precision
  | 'int'      // Int: 32/64-bit integer read as a JS number
  | 'bigint'   // BigInt: 64-bit integer read as a JS bigint
  | 'boolean'
  | 'date'     // Date: timestamp, UTC, millisecond precision
  | 'dateonly' // DateOnly: 'YYYY-MM-DD' string
  | 'decimal'  // Decimal: exact numeric, a JS string
  | 'uuid'     // Uuid: string
  | 'bytes'    // Uint8Array
  | 'json'     // Json<T>: any JSON value
  | 'enum'     // Enum([...]): a string restricted to `enumValues`

/** One column of a table. A to-one reference has one per primary-key column of its target. */
export interface ColumnInfo {
  readonly name: string
  readonly type: ScalarType
  readonly nullable: boolean
  readonly maxLen?: number | undefined
  readonly precision?: number | undefined
  readonly scale?: number | undefined
  readonly enumValues?: readonly string[] | undefined
  /** Database-generated integer key (auto-increment / identity). */
  readonly autoIncrement?: boolean | undefined
  /** Raw SQL default expression, from the `sqlDefault` option. */
  readonly sqlDefault?: string | undefined
}

export type AttrKind = 'primaryKey' | 'required' | 'optional' | 'set' | 'computed'

/** How a relation is stored. */
export type RelationKind =
  | 'none'         // a plain column
  | 'toOne'        // holds the foreign key columns (Car.owner)
  | 'toOneReverse' // one-to-one seen from the side without the columns
  | 'toMany'       // one-to-many seen from the "one" side (Person.cars): no columns
  | 'manyToMany'   // a link table

export interface LinkTableInfo {
  readonly table: string
  /** Columns referencing the primary key of the entity that owns the attribute. */
  readonly ownColumns: readonly ColumnInfo[]
  /** Columns referencing the primary key of the target entity. */
  readonly targetColumns: readonly ColumnInfo[]
}

export interface AttrInfo {
  readonly entity: EntityInfo
  readonly name: string
  readonly kind: AttrKind
  /** Scalar type; null for relations and computed attributes. */
  readonly type: ScalarType | null
  readonly relation: RelationKind
  readonly target: EntityInfo | null
  readonly reverse: AttrInfo | null
  /** Columns this attribute occupies in its entity's table (empty for sets, reverse sides and computed). */
  readonly columns: readonly ColumnInfo[]
  /** Whether the value can be null (optional, or required in a subclass of a single-table hierarchy). */
  readonly nullable: boolean
  readonly link: LinkTableInfo | null
  /** For `computed(p => expr)`: the lambda, inlined by the translator. */
  readonly computed: ((obj: never) => unknown) | null
  readonly lazy: boolean
  readonly volatile: boolean
  readonly unique: boolean
  readonly maxLen: number | undefined
  readonly enumValues: readonly string[] | undefined
  /** ON DELETE for the foreign key of a toOne attribute. */
  readonly onDelete: 'CASCADE' | 'SET NULL' | 'RESTRICT' | undefined
}

export interface IndexInfo {
  readonly name: string
  readonly columns: readonly string[]
  readonly unique: boolean
}

export interface EntityInfo {
  readonly name: string
  readonly table: string
  /** All attributes, inherited ones included, in definition order. */
  readonly attrs: ReadonlyMap<string, AttrInfo>
  readonly pk: readonly AttrInfo[]
  readonly base: EntityInfo | null
  readonly root: EntityInfo
  /** The entity and every entity that extends it, transitively. */
  readonly family: readonly EntityInfo[]
  /** Single-table inheritance: the discriminator column, shared by the hierarchy. */
  readonly discriminator: string | null
  /** Unique keys (single and composite), by attribute. */
  readonly uniques: readonly (readonly AttrInfo[])[]
  /** Every index and unique constraint of the table, as DDL needs it (root entity only). */
  readonly indexes: readonly IndexInfo[]
}

export interface SchemaInfo {
  readonly entities: ReadonlyMap<string, EntityInfo>
  /** Link tables of many-to-many relations, each once. */
  readonly linkTables: readonly LinkTableInfo[]
}

/** Every column of an entity's table, in order (root entity: the whole hierarchy). */
export function tableColumns(entity: EntityInfo): ColumnInfo[] {
  const seen = new Set<string>()
  const out: ColumnInfo[] = []
  const discriminator = entity.root.discriminator
  if (discriminator !== null) {
    seen.add(discriminator)
    out.push({ name: discriminator, type: 'string', nullable: false, maxLen: 64 })
  }
  for (const member of entity.root.family) {
    for (const attr of member.attrs.values()) {
      for (const col of attr.columns) {
        if (seen.has(col.name)) continue
        seen.add(col.name)
        out.push(col)
      }
    }
  }
  return out
}

/** The primary-key columns of an entity (a key that is a reference: its columns), and their names. */
export interface PkColumns {
  readonly columns: readonly ColumnInfo[]
  readonly names: readonly string[]
}

const pkColumnsMemo = new WeakMap<EntityInfo, PkColumns>()

/**
 * An entity's primary-key columns, computed once per entity (the model does
 * not change after it is built).
 * @example
 * pkColumnsOf(personMeta).names   // ['id']
 */
export function pkColumnsOf(entity: EntityInfo): PkColumns {
  const cached = pkColumnsMemo.get(entity)
  if (cached !== undefined) return cached
  const columns = entity.pk.flatMap((a) => a.columns)
  const out: PkColumns = { columns, names: columns.map((c) => c.name) }
  pkColumnsMemo.set(entity, out)
  return out
}
