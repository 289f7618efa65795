/**
 * The ESTree node types the compiler reads, as acorn declares them. One
 * module re-exports them so the rest of the compiler names a single source.
 */
export type {
  ArrayExpression,
  ArrowFunctionExpression,
  BinaryExpression,
  BlockStatement,
  CallExpression,
  ChainExpression,
  ConditionalExpression,
  Expression,
  FunctionExpression,
  Identifier,
  Literal,
  LogicalExpression,
  MemberExpression,
  Node,
  ObjectExpression,
  Pattern,
  Property,
  SpreadElement,
  TaggedTemplateExpression,
  TemplateLiteral,
  UnaryExpression,
} from 'acorn'
