/**
 * From `db.define({...})` to a linked, validated schema.
 *
 * In: the definition object (entity name → attributes and `$` keys).
 * Out: a `Schema` of `EntityMeta`/`AttrMeta` objects implementing the
 * compiler's `SchemaInfo`. Steps: create entities and inheritance, read
 * attributes, choose primary keys, pair every relation with its reverse,
 * derive columns (foreign keys follow the target's primary key), link tables,
 * and indexes. Every mistake throws `ERDiagramError` naming entity and attribute.
 */
import { ERDiagramError } from '../../compiler/errors.js'
import type { ColumnInfo, LinkTableInfo, SchemaInfo } from '../../compiler/schema.js'
import { ATTR_OPTION_NAMES, isAttrDef, scalarOf, type AttrDef } from './attributes.js'
import { AttrMeta, EntityMeta, type Hooks } from './meta.js'
import { snakeCase } from './naming.js'

export type EntityDefinition = Readonly<Record<string, unknown>>
export type ModelDefinition = Readonly<Record<string, EntityDefinition>>

export interface Schema extends SchemaInfo {
  readonly entities: ReadonlyMap<string, EntityMeta>
}

const ENTITY_KEYS = new Set(['$table', '$primaryKey', '$unique', '$index', '$extends', '$hooks'])
const HOOK_NAMES = new Set(['beforeInsert', 'afterInsert', 'beforeUpdate', 'afterUpdate', 'beforeDelete', 'afterDelete'])
export const DISCRIMINATOR_COLUMN = 'classtype'

function fail(entity: string, attr: string | null, message: string): never {
  throw new ERDiagramError(attr === null ? `${entity}: ${message}` : `${entity}.${attr}: ${message}`)
}

/** Build and link the schema for a model definition. Adds to `existing` entities when given. */
export function buildSchema(definition: ModelDefinition, existing?: Schema): Schema {
  const entities = new Map<string, EntityMeta>(existing?.entities ?? [])
  const fresh: EntityMeta[] = []
  for (const [name, def] of Object.entries(definition)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) fail(name, null, 'an entity name must be an identifier')
    if (entities.has(name)) fail(name, null, 'the entity is defined twice')
    if (typeof def !== 'object' || def === null) fail(name, null, 'the definition must be an object of attributes')
    const table = def.$table
    if (table !== undefined && (typeof table !== 'string' || table === '')) fail(name, null, '$table must be a non-empty string')
    const meta = new EntityMeta(name, (table as string | undefined) ?? snakeCase(name))
    entities.set(name, meta)
    fresh.push(meta)
  }
  for (const meta of fresh) linkInheritance(meta, definition, entities)
  for (const meta of orderedByBase(fresh)) readAttributes(meta, definition[meta.name]!)
  for (const meta of orderedByBase(fresh)) choosePrimaryKey(meta, definition[meta.name]!)
  for (const meta of fresh) for (const attr of meta.attrs.values()) if (attr.entity === meta) pairRelation(attr, entities)
  for (const meta of orderedByBase(fresh)) deriveColumns(meta)
  const linkTables: LinkTableInfo[] = [...(existing?.linkTables ?? [])]
  for (const meta of fresh) for (const attr of meta.attrs.values()) if (attr.entity === meta) linkTables.push(...buildLinkTable(attr))
  for (const meta of orderedByBase(fresh)) readKeysAndIndexes(meta, definition[meta.name]!)
  for (const meta of fresh) {
    meta.slots = [...meta.attrs.values()].filter((a) => a.kind !== 'computed')
    meta.slots.forEach((a, i) => { if (a.entity === meta || a.index < 0) a.index = i })
  }
  return { entities, linkTables }
}

function linkInheritance(meta: EntityMeta, definition: ModelDefinition, entities: Map<string, EntityMeta>): void {
  const baseName = definition[meta.name]!.$extends
  if (baseName === undefined) return
  if (typeof baseName !== 'string') fail(meta.name, null, '$extends must name an entity')
  const base = entities.get(baseName)
  if (base === undefined) fail(meta.name, null, `$extends names an unknown entity '${baseName}'`)
  if (definition[meta.name]!.$table !== undefined) fail(meta.name, null, '$table is set by the root of a single-table hierarchy')
  for (let e: EntityMeta | null = base; e !== null; e = e.base) if (e === meta) fail(meta.name, null, '$extends makes a cycle')
  meta.base = base
}

function orderedByBase(metas: EntityMeta[]): EntityMeta[] {
  const depth = (m: EntityMeta): number => (m.base === null ? 0 : 1 + depth(m.base))
  return [...metas].sort((a, b) => depth(a) - depth(b))
}

function readAttributes(meta: EntityMeta, def: EntityDefinition): void {
  if (meta.base !== null) {
    meta.root = meta.base.root
    meta.table = meta.root.table
    meta.root.discriminator = DISCRIMINATOR_COLUMN
    for (let e: EntityMeta | null = meta.base; e !== null; e = e.base) e.family.push(meta)
    for (const [name, attr] of meta.base.attrs) meta.attrs.set(name, attr)
    meta.hooks = { ...meta.base.hooks }
  }
  for (const [name, value] of Object.entries(def)) {
    if (name.startsWith('$')) {
      if (!ENTITY_KEYS.has(name)) fail(meta.name, null, `unknown entity option '${name}' (known: ${[...ENTITY_KEYS].join(', ')})`)
      continue
    }
    if (!isAttrDef(value)) fail(meta.name, name, 'expected required(...), optional(...), primaryKey(...), set(...) or computed(...)')
    if (meta.attrs.has(name)) fail(meta.name, name, 'the attribute is already defined (inherited from a base entity)')
    meta.attrs.set(name, readAttribute(meta, name, value))
  }
  const hooks = def.$hooks
  if (hooks !== undefined) {
    if (typeof hooks !== 'object' || hooks === null) fail(meta.name, null, '$hooks must be an object of functions')
    for (const [hook, fn] of Object.entries(hooks)) {
      if (!HOOK_NAMES.has(hook) || typeof fn !== 'function') fail(meta.name, null, `unknown hook '${hook}' (known: ${[...HOOK_NAMES].join(', ')})`)
    }
    meta.hooks = { ...meta.hooks, ...(hooks as Hooks) }
  }
}

function readAttribute(meta: EntityMeta, name: string, def: AttrDef): AttrMeta {
  for (const option of Object.keys(def.options)) {
    if (!ATTR_OPTION_NAMES.includes(option)) fail(meta.name, name, `unknown option '${option}'`)
  }
  const o = def.options
  if (def.kind === 'computed') {
    if (typeof def.computed !== 'function') fail(meta.name, name, 'computed(...) takes a lambda')
    return new AttrMeta(meta, name, 'computed', null, null, o, def.computed)
  }
  let scalar = null
  let targetName: string | null = null
  if (typeof def.type === 'string') targetName = def.type
  else {
    scalar = scalarOf(def.type) ?? null
    if (scalar === null) fail(meta.name, name, 'unknown type: use String, Number, Int, BigInt, Boolean, Date, DateOnly, Decimal, Uuid, Uint8Array, Json<T>(), LongStr or Enum([...])')
  }
  if (def.kind === 'set' && targetName === null) fail(meta.name, name, 'set(...) takes an entity name')
  if (o.maxLen !== undefined && (!Number.isInteger(o.maxLen) || o.maxLen <= 0)) fail(meta.name, name, 'maxLen must be a positive integer')
  if (o.maxLen !== undefined && scalar !== 'string') fail(meta.name, name, 'maxLen applies to String attributes only')
  if (o.auto === true && (def.kind !== 'primaryKey' || (scalar !== 'int' && scalar !== 'bigint'))) fail(meta.name, name, 'auto applies to an Int or BigInt primary key only')
  if (o.check !== undefined && typeof o.check !== 'function') fail(meta.name, name, 'check must be a function')
  if ((o.min !== undefined || o.max !== undefined) && !['int', 'number', 'bigint', 'decimal'].includes(scalar ?? '')) fail(meta.name, name, 'min/max apply to numeric attributes only')
  if (o.index !== undefined && typeof o.index !== 'boolean' && typeof o.index !== 'string') fail(meta.name, name, 'index must be true or a name')
  if (o.reverse !== undefined && targetName === null) fail(meta.name, name, 'reverse applies to relations only')
  if (o.cascadeDelete !== undefined && targetName === null) fail(meta.name, name, 'cascadeDelete applies to relations only')
  if (o.precision !== undefined && scalar !== 'decimal') fail(meta.name, name, 'precision/scale apply to Decimal attributes only')
  const attr = new AttrMeta(meta, name, def.kind, scalar, targetName, o, null)
  if (scalar === 'enum') attr.enumValues = (def.type as { enumValues?: readonly string[] }).enumValues
  attr.auto = o.auto === true
  if (def.kind === 'primaryKey' && attr.nullable) fail(meta.name, name, 'a primary key cannot be nullable')
  return attr
}

function choosePrimaryKey(meta: EntityMeta, def: EntityDefinition): void {
  const declared = [...meta.attrs.values()].filter((a) => a.entity === meta && a.kind === 'primaryKey')
  if (meta.base !== null) {
    if (declared.length > 0 || def.$primaryKey !== undefined) fail(meta.name, declared[0]?.name ?? null, 'an entity that extends another inherits its primary key')
    meta.pk = meta.base.pk
    meta.attrs = new Map([...meta.base.attrs, ...[...meta.attrs].filter(([, a]) => a.entity === meta)])
    return
  }
  const composite = def.$primaryKey
  if (composite !== undefined) {
    if (declared.length > 0) fail(meta.name, declared[0]!.name, 'both primaryKey(...) and $primaryKey are given; use one')
    if (!Array.isArray(composite) || composite.length === 0) fail(meta.name, null, '$primaryKey must be a non-empty array of attribute names')
    meta.pk = composite.map((name: unknown) => {
      const attr = typeof name === 'string' ? meta.attrs.get(name) : undefined
      if (attr === undefined) fail(meta.name, String(name), '$primaryKey names an unknown attribute')
      if (attr.kind !== 'required' && attr.kind !== 'primaryKey') fail(meta.name, attr.name, 'a primary key attribute must be required')
      attr.kind = 'primaryKey'
      return attr
    })
    return
  }
  if (declared.length > 1) fail(meta.name, declared[1]!.name, `two primary keys (${declared.map((a) => a.name).join(', ')}); use $primaryKey: [...] for a composite key`)
  if (declared.length === 1) {
    meta.pk = declared
    return
  }
  if (meta.attrs.has('id')) fail(meta.name, 'id', "no primary key is declared and 'id' is taken; declare primaryKey(...)")
  const id = new AttrMeta(meta, 'id', 'primaryKey', 'int', null, { auto: true }, null)
  id.auto = true
  meta.attrs = new Map([['id', id], ...meta.attrs])
  meta.pk = [id]
}

function pairRelation(attr: AttrMeta, entities: Map<string, EntityMeta>): void {
  if (attr.targetName === null || attr.reverse !== null) return
  const meta = attr.entity
  const target = entities.get(attr.targetName)
  if (target === undefined) fail(meta.name, attr.name, `unknown entity '${attr.targetName}'`)
  attr.target = target
  let reverse: AttrMeta | undefined
  if (attr.options.reverse !== undefined) {
    reverse = target.attrs.get(attr.options.reverse)
    if (reverse === undefined) fail(meta.name, attr.name, `reverse '${attr.options.reverse}' is not an attribute of ${target.name}`)
    if (reverse.targetName === null || !entities.get(reverse.targetName)?.isSuperOf(meta)) {
      fail(meta.name, attr.name, `reverse ${target.name}.${reverse.name} does not point back to ${meta.name}`)
    }
    if (reverse.options.reverse !== undefined && reverse.options.reverse !== attr.name) {
      fail(meta.name, attr.name, `${target.name}.${reverse.name} names another reverse ('${reverse.options.reverse}')`)
    }
  } else {
    const candidates = [...target.attrs.values()].filter((a) =>
      a !== attr && a.targetName !== null && entities.get(a.targetName)?.isSuperOf(meta) === true &&
      (a.options.reverse === undefined || a.options.reverse === attr.name))
    if (candidates.length === 0) {
      fail(meta.name, attr.name, `no reverse attribute: add one to ${target.name} pointing to '${meta.name}' (set('${meta.name}') or required/optional('${meta.name}'))`)
    }
    if (candidates.length > 1) {
      fail(meta.name, attr.name, `ambiguous reverse: ${candidates.map((c) => `${target.name}.${c.name}`).join(', ')} all point to ${meta.name}; name one with { reverse: '…' }`)
    }
    reverse = candidates[0]!
    const rivals = [...meta.attrs.values()].filter((a) =>
      a.targetName !== null && entities.get(a.targetName)?.isSuperOf(target) === true && a.options.reverse === undefined && (a !== reverse || a.entity !== target))
    if (rivals.length > 1 && reverse.options.reverse === undefined) {
      fail(target.name, reverse.name, `ambiguous reverse: ${rivals.map((c) => `${meta.name}.${c.name}`).join(', ')} all point to ${target.name}; name one with { reverse: '…' }`)
    }
  }
  if (reverse.reverse !== null && reverse.reverse !== attr) fail(meta.name, attr.name, `${target.name}.${reverse.name} is already paired with ${reverse.reverse.qualifiedName}`)
  attr.reverse = reverse
  reverse.reverse = attr
  reverse.target = meta
  classifyRelation(attr, reverse)
}

function classifyRelation(a: AttrMeta, b: AttrMeta): void {
  const aSet = a.kind === 'set'
  const bSet = b.kind === 'set'
  if (aSet && bSet) {
    a.relation = b.relation = 'manyToMany'
    return
  }
  if (aSet || bSet) {
    const [one, many] = aSet ? [b, a] : [a, b]
    one.relation = 'toOne'
    many.relation = 'toMany'
    const cascade = many.options.cascadeDelete ?? (one.kind !== 'optional')
    many.cascadeDelete = cascade
    one.onDelete = one.kind === 'optional' ? 'SET NULL' : cascade ? 'CASCADE' : 'RESTRICT'
    return
  }
  if (a === b) fail(a.entity.name, a.name, 'a to-one attribute cannot be its own reverse')
  if (a.kind !== 'optional' && b.kind !== 'optional') {
    fail(a.entity.name, a.name, `one-to-one with ${b.qualifiedName}: both sides are required, so neither object could be created first; make one optional`)
  }
  // The required side holds the column; between two optionals, the first by name.
  const aHolds = b.kind === 'optional' && (a.kind !== 'optional' || `${a.entity.name}.${a.name}` < `${b.entity.name}.${b.name}`)
  const [holder, other] = aHolds ? [a, b] : [b, a]
  holder.relation = 'toOne'
  other.relation = 'toOneReverse'
  holder.unique = true
  other.cascadeDelete = other.options.cascadeDelete ?? holder.kind !== 'optional'
  holder.onDelete = holder.kind === 'optional' ? 'SET NULL' : 'CASCADE'
}

function scalarColumn(attr: AttrMeta, nullable: boolean): ColumnInfo {
  return {
    name: attr.options.column ?? attr.name,
    type: attr.type!,
    nullable,
    maxLen: attr.options.maxLen,
    precision: attr.options.precision,
    scale: attr.options.scale,
    enumValues: attr.enumValues,
    autoIncrement: attr.auto,
    sqlDefault: attr.options.sqlDefault,
  }
}

/** A reference copies its target's primary-key columns, named after the attribute. */
function referenceColumns(attr: AttrMeta, nullable: boolean, visiting: Set<EntityMeta>): ColumnInfo[] {
  const target = attr.target!
  const targetCols = pkColumns(target, visiting)
  const single = targetCols.length === 1
  const base = attr.options.column ?? attr.name
  return targetCols.map((c): ColumnInfo => ({
    name: single ? base : `${base}_${c.name}`,
    type: c.type,
    nullable,
    maxLen: c.maxLen,
    precision: c.precision,
    scale: c.scale,
    enumValues: c.enumValues,
  }))
}

/** The primary-key columns of an entity, deriving them first if needed (a key may be a reference). */
function pkColumns(meta: EntityMeta, visiting: Set<EntityMeta>): ColumnInfo[] {
  const root = meta.root
  if (visiting.has(root)) fail(root.name, root.pk[0]?.name ?? null, 'the primary key refers to itself through other entities')
  visiting.add(root)
  for (const attr of root.pk) {
    if (attr.columns.length > 0) continue
    attr.columns = attr.relation === 'toOne' ? referenceColumns(attr, false, visiting) : [scalarColumn(attr, false)]
  }
  visiting.delete(root)
  return root.pk.flatMap((p) => p.columns)
}

/** Columns of every stored attribute of an entity (its own, not inherited ones). */
function deriveColumns(meta: EntityMeta): void {
  const inSubclass = meta.base !== null
  for (const attr of meta.attrs.values()) {
    if (attr.entity !== meta || attr.columns.length > 0) continue
    const nullable = attr.nullable || inSubclass
    if (attr.type !== null && attr.relation === 'none') attr.columns = [scalarColumn(attr, nullable)]
    else if (attr.relation === 'toOne') attr.columns = referenceColumns(attr, nullable, new Set())
  }
}

function linkColumns(entity: EntityMeta, prefix: string): ColumnInfo[] {
  const cols = entity.pk.flatMap((p) => p.columns)
  return cols.map((c) => ({ name: cols.length === 1 ? prefix : `${prefix}_${c.name}`, type: c.type, nullable: false, maxLen: c.maxLen, precision: c.precision, scale: c.scale }))
}

/** Many-to-many: one link table per pair, named after both entities (sorted), or the `table` option. */
function buildLinkTable(attr: AttrMeta): LinkTableInfo[] {
  if (attr.relation !== 'manyToMany' || attr.link !== null) return []
  const other = attr.reverse!
  const own = attr.entity.root
  const target = attr.target!.root
  const [first, second] = own.name <= target.name ? [attr, other] : [other, attr]
  const tableOption = attr.options.table ?? other.options.table
  const names = [snakeCase(first.entity.name), snakeCase(second.entity.name)]
  let table = tableOption ?? names.join('_')
  const siblings = [...first.entity.attrs.values()].filter((a) => a.relation === 'manyToMany' && a.target === second.entity && a.entity === first.entity)
  if (tableOption === undefined && siblings.length > 1) table = `${table}_${snakeCase(first.name)}`
  const firstPrefix = names[0]!
  const secondPrefix = names[0] === names[1] ? `${names[1]}_2` : names[1]!
  const firstCols = linkColumns(first.entity, firstPrefix)
  const secondCols = linkColumns(second.entity, secondPrefix)
  first.link = { table, ownColumns: firstCols, targetColumns: secondCols }
  if (second !== first) second.link = { table, ownColumns: secondCols, targetColumns: firstCols }
  return [first.link]
}

function readKeysAndIndexes(meta: EntityMeta, def: EntityDefinition): void {
  const root = meta.root
  const table = root.table
  const attrsOf = (names: unknown, key: string): AttrMeta[] => {
    if (!Array.isArray(names) || names.length === 0) fail(meta.name, null, `${key} takes arrays of attribute names`)
    return names.map((n: unknown) => {
      const attr = typeof n === 'string' ? meta.attrs.get(n) : undefined
      if (attr === undefined || attr.columns.length === 0) fail(meta.name, String(n), `${key} names an attribute that has no column`)
      return attr
    })
  }
  const cols = (attrs: AttrMeta[]): string[] => attrs.flatMap((a) => a.columns.map((c) => c.name))
  for (const attr of meta.attrs.values()) {
    if (attr.entity !== meta || attr.columns.length === 0) continue
    if (attr.unique && attr.kind !== 'primaryKey') {
      meta.uniques.push([attr])
      root.indexes.push({ name: `unq_${table}__${cols([attr]).join('_')}`, columns: cols([attr]), unique: true })
    }
    const index = attr.options.index
    if (index !== undefined && index !== false) {
      root.indexes.push({ name: typeof index === 'string' ? index : `idx_${table}__${cols([attr]).join('_')}`, columns: cols([attr]), unique: false })
    } else if (attr.relation === 'toOne' && !attr.unique) {
      root.indexes.push({ name: `idx_${table}__${cols([attr]).join('_')}`, columns: cols([attr]), unique: false })
    }
  }
  if (def.$unique !== undefined) {
    if (!Array.isArray(def.$unique)) fail(meta.name, null, "$unique takes arrays of attribute names: [['a', 'b']]")
    for (const names of def.$unique as unknown[]) {
      const attrs = attrsOf(names, '$unique')
      meta.uniques.push(attrs)
      root.indexes.push({ name: `unq_${table}__${cols(attrs).join('_')}`, columns: cols(attrs), unique: true })
    }
  }
  if (def.$index !== undefined) {
    if (!Array.isArray(def.$index)) fail(meta.name, null, "$index takes arrays of attribute names: [['a', 'b']]")
    for (const names of def.$index as unknown[]) {
      const attrs = attrsOf(names, '$index')
      root.indexes.push({ name: `idx_${table}__${cols(attrs).join('_')}`, columns: cols(attrs), unique: false })
    }
  }
  if (meta.base !== null) meta.uniques.unshift(...meta.base.uniques)
}
