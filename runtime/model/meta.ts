/**
 * The runtime's description of entities and attributes: it implements the
 * compiler's read-only `EntityInfo`/`AttrInfo` and adds what only the runtime
 * needs (defaults, validation rules, hooks). `buildSchema` creates and links
 * these objects once; afterwards they are never changed.
 */
import type { AttrInfo, AttrKind, ColumnInfo, EntityInfo, IndexInfo, LinkTableInfo, RelationKind, ScalarType } from '../../compiler/schema.js'
import type { AttrOptions } from './attributes.js'

export type HookName = 'beforeInsert' | 'afterInsert' | 'beforeUpdate' | 'afterUpdate' | 'beforeDelete' | 'afterDelete'
export type Hooks = Partial<Record<HookName, (obj: never) => unknown>>

export class AttrMeta implements AttrInfo {
  kind: AttrKind
  type: ScalarType | null
  relation: RelationKind = 'none'
  target: EntityMeta | null = null
  reverse: AttrMeta | null = null
  columns: ColumnInfo[] = []
  nullable: boolean
  link: LinkTableInfo | null = null
  computed: ((obj: never) => unknown) | null
  lazy: boolean
  volatile: boolean
  unique: boolean
  maxLen: number | undefined
  enumValues: readonly string[] | undefined
  onDelete: 'CASCADE' | 'SET NULL' | 'RESTRICT' | undefined = undefined
  /** Entity name a relation points to, before linking. */
  targetName: string | null
  /** Database-generated primary key. */
  auto = false
  /** Whether deleting the owner deletes the objects of this collection (set attributes). */
  cascadeDelete = false
  /** Position among the entity's attributes; used for fast slot access. */
  index = -1

  constructor(
    readonly entity: EntityMeta,
    readonly name: string,
    kind: AttrKind,
    type: ScalarType | null,
    targetName: string | null,
    readonly options: Readonly<AttrOptions>,
    computedFn: ((obj: never) => unknown) | null,
  ) {
    this.kind = kind
    this.type = type
    this.targetName = targetName
    this.nullable = kind === 'optional' || options.nullable === true
    this.computed = computedFn
    this.lazy = options.lazy ?? type === 'longstr'
    this.volatile = options.volatile ?? false
    this.unique = options.unique ?? false
    this.maxLen = options.maxLen
    this.enumValues = undefined
  }

  /** `Person.name`, for messages. */
  get qualifiedName(): string {
    return `${this.entity.name}.${this.name}`
  }
}

export class EntityMeta implements EntityInfo {
  table: string
  attrs = new Map<string, AttrMeta>()
  pk: AttrMeta[] = []
  base: EntityMeta | null = null
  root: EntityMeta = this
  family: EntityMeta[] = [this]
  discriminator: string | null = null
  uniques: AttrMeta[][] = []
  indexes: IndexInfo[] = []
  hooks: Hooks = {}
  /** The entity class users see; set by `db.define`. */
  cls: unknown = null
  /** Attributes in slot order: stored and collections; computed ones excluded. */
  slots: AttrMeta[] = []

  constructor(readonly name: string, table: string) {
    this.table = table
  }

  private familyNames: readonly string[] | undefined = undefined
  private rowSlotsFor: { readonly slots: readonly AttrMeta[]; readonly indexes: readonly number[] } | undefined = undefined

  /** The slots a loaded row fills: stored in columns of this entity's row, not lazy. */
  get rowSlots(): readonly number[] {
    const cached = this.rowSlotsFor
    if (cached !== undefined && cached.slots === this.slots) return cached.indexes
    const indexes = this.slots.filter((a) => a.columns.length > 0 && !a.lazy).map((a) => a.index)
    this.rowSlotsFor = { slots: this.slots, indexes }
    return indexes
  }

  /** The discriminator values that restrict rows to this entity and its subclasses; undefined for a whole hierarchy or a plain entity. */
  get discriminatorValues(): readonly string[] | undefined {
    if (this.root.discriminator === null || this === this.root) return undefined
    return (this.familyNames ??= this.family.map((m) => m.name))
  }

  /** Is `other` this entity or one that extends it? */
  isSuperOf(other: EntityMeta): boolean {
    for (let e: EntityMeta | null = other; e !== null; e = e.base) if (e === this) return true
    return false
  }
}
