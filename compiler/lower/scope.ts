/**
 * FROM clauses under construction. A Scope is one SELECT (the query, or a
 * correlated subquery) and knows the row variables it introduced. Joins for
 * to-one navigation are added the first time a path is read (`c.owner.name`
 * joins `person`; `c.owner === p` reads the foreign key and joins nothing):
 * inner when every step is required, left otherwise. The scope is a builder
 * owned by one lowering run and discarded after it.
 */
import { pkColumnsOf, type AttrInfo } from '../schema.js'
import type { EntityRef, SourceVar } from '../translate/ir.js'
import { sqlLogic, type Join, type SqlExpr } from './sql.js'

/** Thrown when a DELETE/UPDATE filter needs a join: the statement is then built with a subquery. */
export class NeedsSubquery {}

interface Item {
  readonly table: string
  readonly alias: string
  readonly joins: Join[]
}

interface VarInfo {
  readonly alias: string
  readonly item: number
  /** Many-to-many element reached through its link table: the link columns holding its key, until the table is joined. */
  readonly link: { readonly alias: string; readonly columns: readonly string[] } | null
  readonly nullable: boolean
}

/** What one statement shares between its scopes. */
export class StatementBuilder {
  readonly aliases = new Set<string>()
  readonly entities = new Set<string>()
  alias(hint: string): string {
    const base = hint === '' ? 't' : hint
    let name = base
    for (let i = 2; this.aliases.has(name); i++) name = `${base}${i}`
    this.aliases.add(name)
    return name
  }
}

function col(alias: string, name: string, nullable: boolean): SqlExpr {
  return { k: 'col', alias, name, nullable }
}

function eqAll(left: readonly SqlExpr[], right: readonly SqlExpr[]): SqlExpr {
  return sqlLogic('and', left.map((l, i) => ({ k: 'cmp', op: '=', l, r: right[i]!, nullable: l.nullable || right[i]!.nullable })))
}

export class Scope {
  readonly items: Item[] = []
  private readonly vars = new Map<number, VarInfo>()
  private readonly paths = new Map<string, { alias: string; nullable: boolean }>()

  constructor(readonly stmt: StatementBuilder, readonly parent: Scope | null, readonly dmlTable: string | null = null) {}

  /** A new FROM item for `v` (its alias from the hint, or the table name in DML). */
  addSource(v: SourceVar): string {
    this.stmt.entities.add(v.entity.name)
    const alias = this.dmlTable ?? this.stmt.alias(v.hint)
    this.items.push({ table: v.entity.table, alias, joins: [] })
    this.vars.set(v.id, { alias, item: this.items.length - 1, link: null, nullable: false })
    return alias
  }

  /** Join `table` as `v`'s rows onto the FROM item of `near` (a var of this scope). */
  addJoinedVar(v: SourceVar, nearVarAlias: string, kind: 'INNER' | 'LEFT', on: (alias: string) => SqlExpr): string {
    this.stmt.entities.add(v.entity.name)
    const item = this.itemOf(nearVarAlias)
    const alias = this.stmt.alias(v.hint)
    this.items[item]!.joins.push({ kind, table: v.entity.table, alias, on: on(alias) })
    this.vars.set(v.id, { alias, item, link: null, nullable: kind === 'LEFT' })
    return alias
  }

  /** A many-to-many element seen through the link table `linkAlias` (joined to its table only when needed). */
  addLinkVar(v: SourceVar, linkAlias: string, columns: readonly string[]): void {
    this.stmt.entities.add(v.entity.name)
    this.vars.set(v.id, { alias: '', item: this.itemOf(linkAlias), link: { alias: linkAlias, columns }, nullable: false })
  }

  /** Join a plain table (a link table) onto the item holding `nearAlias`. */
  joinTable(table: string, hint: string, nearAlias: string, on: (alias: string) => SqlExpr): string {
    const alias = this.stmt.alias(hint)
    this.items[this.itemOf(nearAlias)]!.joins.push({ kind: 'INNER', table, alias, on: on(alias) })
    return alias
  }

  /** Add a plain table as a FROM item. */
  addTable(table: string, hint: string): string {
    const alias = this.stmt.alias(hint)
    this.items.push({ table, alias, joins: [] })
    return alias
  }

  private itemOf(alias: string): number {
    const i = this.items.findIndex((it) => it.alias === alias || it.joins.some((j) => j.alias === alias))
    if (i < 0) throw new Error(`internal: no FROM item holds ${alias}`)
    return i
  }

  private owner(v: SourceVar): { scope: Scope; info: VarInfo } {
    for (let s: Scope | null = this; s !== null; s = s.parent) {
      const info = s.vars.get(v.id)
      if (info !== undefined) return { scope: s, info }
    }
    throw new Error(`internal: row variable ${v.hint} is not in scope`)
  }

  /** The alias of the rows of `v` itself, joining a link-only element's table when needed. */
  varAlias(v: SourceVar): string {
    const { scope, info } = this.owner(v)
    if (info.link === null) return info.alias
    const link = info.link
    const alias = scope.stmt.alias(v.hint)
    const cols = pkColumnsOf(v.entity).names
    scope.items[info.item]!.joins.push({
      kind: 'INNER', table: v.entity.table, alias,
      on: eqAll(cols.map((c) => col(alias, c, false)), link.columns.map((c) => col(link.alias, c, false))),
    })
    scope.vars.set(v.id, { ...info, alias, link: null })
    return alias
  }

  /** Primary-key columns of `v` (the link table's columns while its table is not joined). */
  varPk(v: SourceVar): SqlExpr[] {
    const { info } = this.owner(v)
    if (info.link !== null) return info.link.columns.map((c) => col(info.link!.alias, c, false))
    return pkColumnsOf(v.entity).names.map((c) => col(info.alias, c, info.nullable))
  }

  /** The alias of the table holding the rows at `path` from `base`, joining as needed. */
  pathAlias(base: SourceVar, path: readonly AttrInfo[]): { alias: string; nullable: boolean } {
    const { scope, info } = this.owner(base)
    let alias = this.varAlias(base)
    let nullable = info.nullable
    let key = `${base.id}`
    for (const attr of path) {
      key += `.${attr.name}`
      const known = scope.paths.get(key)
      const step: { alias: string; nullable: boolean } = known ?? scope.joinStep(alias, nullable, attr)
      if (known === undefined) scope.paths.set(key, step)
      alias = step.alias
      nullable = step.nullable
    }
    return { alias, nullable }
  }

  private joinStep(parent: string, parentNullable: boolean, attr: AttrInfo): { alias: string; nullable: boolean } {
    if (this.dmlTable !== null && this.parent === null) throw new NeedsSubquery()
    const target = attr.target!
    this.stmt.entities.add(target.name)
    const nullable = parentNullable || attr.nullable || attr.relation === 'toOneReverse'
    const alias = this.stmt.alias(`${parent}_${attr.name}`)
    const targetPk = pkColumnsOf(target).names.map((c) => col(alias, c, false))
    const on = attr.relation === 'toOne'
      ? eqAll(targetPk, attr.columns.map((c) => col(parent, c.name, true)))
      : eqAll(attr.reverse!.columns.map((c) => col(alias, c.name, true)), pkColumnsOf(attr.entity).names.map((c) => col(parent, c, false)))
    this.items[this.itemOf(parent)]!.joins.push({ kind: nullable ? 'LEFT' : 'INNER', table: target.table, alias, on })
    return { alias, nullable }
  }

  /** A column at `path` from `base`; a key column reads the foreign key (or link column) instead of joining. */
  column(base: SourceVar, path: readonly AttrInfo[], attr: AttrInfo, name: string, nullable: boolean): SqlExpr {
    const last = path[path.length - 1]
    const owner = last === undefined ? base.entity : last.target!
    const idx = owner.pk.includes(attr) ? pkColumnsOf(owner).names.indexOf(name) : -1
    if (idx >= 0 && last === undefined) return { ...this.varPk(base)[idx]!, nullable }
    if (idx >= 0 && last!.relation === 'toOne') return col(this.pathAlias(base, path.slice(0, -1)).alias, last!.columns[idx]!.name, nullable)
    return col(this.pathAlias(base, path).alias, name, nullable)
  }

  /** Primary-key columns of an entity reference, reading a foreign key instead of joining when it can. */
  refPk(ref: EntityRef): SqlExpr[] {
    const path = ref.path
    const last = path[path.length - 1]
    if (last === undefined) return this.varPk(ref.base)
    if (last.relation === 'toOne') {
      const at = this.pathAlias(ref.base, path.slice(0, -1))
      return last.columns.map((c) => col(at.alias, c.name, ref.nullable))
    }
    const at = this.pathAlias(ref.base, path)
    return pkColumnsOf(ref.entity).names.map((c) => col(at.alias, c, ref.nullable))
  }
}
