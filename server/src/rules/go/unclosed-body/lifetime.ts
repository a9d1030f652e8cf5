import type { Node } from 'web-tree-sitter';
import {
  FUNCTION_TYPES, initializerOwner, isNoReturnCall, logicalOperands, namedChildrenOf, nilComparison, sameNode,
  statementListOf, statementsAfter, statementsOf,
} from '../../../languages/go/syntax';

/**
 * "Released on every path" for a value created by one statement (an HTTP
 * response, rows, a cancel func): a structured walk of the statements that
 * follow it, through if/else, loops, switch/select, break/continue and
 * labels, to every exit of the function. A statement holding a release or
 * hand-over event (closes it, defers the close, passes it on, returns it)
 * ends the value's life on the paths through that statement. The usual error
 * convention is understood: inside `if err != nil` (and `if v == nil`) there
 * is no value to release. `goto` and no-return calls end a path silently.
 */

export type ExitKind = 'return' | 'continue' | 'break' | 'end' | 'loop';

export interface LeakingExit {
  /** The return/continue statement, the loop (its iteration ends) or the function body (falls off its end). */
  node: Node;
  kind: ExitKind;
}

export interface LifetimeQuery {
  /** The statement that creates the value: in a statement list, or an if/switch initializer. */
  origin: Node;
  /** Nodes where the value is released or handed over (any depth; func literals included). */
  events: readonly Node[];
  /** Error variable bound with the value: where `err != nil` there is no value. */
  errName?: string;
  /** The value's own name: where `v == nil` there is no value. */
  valueName?: string;
}

type State = 'open' | 'done';
interface Jump {
  kind: 'break' | 'continue';
  target: Node | undefined;
  state: State;
  node: Node;
}
interface Outcome {
  fall: State | null;
  jumps: Jump[];
}

const SWITCH_TYPES: ReadonlySet<string> = new Set(['expression_switch_statement', 'type_switch_statement', 'select_statement']);
const CLAUSE_TYPES: ReadonlySet<string> = new Set(['expression_case', 'default_case', 'type_case', 'communication_case']);

/** Exits reached with the value still open, in source order; empty when it is released on every path. */
export function findLeakingExits(query: LifetimeQuery): LeakingExit[] {
  const flow = new Flow(query);
  flow.run();
  return flow.leaks.sort((a, b) => a.node.startIndex - b.node.startIndex);
}

function join(...states: (State | null)[]): State | null {
  let out: State | null = null;
  for (const s of states) {
    if (s === 'open') return 'open';
    if (s === 'done') out = 'done';
  }
  return out;
}

class Flow {
  readonly leaks: LeakingExit[] = [];

  constructor(private readonly q: LifetimeQuery) {}

  run(): void {
    const origin = this.q.origin;
    const owner = initializerOwner(origin);
    if (owner) {
      if (owner.type === 'for_statement') return; // a value made in a for clause: out of scope here
      const o = owner.type === 'if_statement' ? this.execIf(owner, 'open', true) : this.resolveBreaks(owner, this.execSwitch(owner, 'open', true));
      this.climb(owner, this.continueAfter(owner, o));
      return;
    }
    if (!statementListOf(origin)) return;
    this.climb(origin, this.continueAfter(origin, { fall: 'open', jumps: [] }));
  }

  /** Runs the statements after `stmt` in its list, from the outcome of `stmt`. */
  private continueAfter(stmt: Node, o: Outcome): Outcome {
    if (o.fall === null) return o;
    const rest = this.execList(statementsAfter(stmt), o.fall);
    return { fall: rest.fall, jumps: [...o.jumps, ...rest.jumps] };
  }

  private leak(node: Node, kind: ExitKind): void {
    if (!this.leaks.some((l) => sameNode(l.node, node))) this.leaks.push({ node, kind });
  }

  private hasEvent(node: Node | null | undefined): boolean {
    if (!node) return false;
    return this.q.events.some((e) => e.startIndex >= node.startIndex && e.endIndex <= node.endIndex);
  }

  /** `from` and the rest of its statement list have run with outcome `o`: continue outwards. */
  private climb(from: Node, o: Outcome): void {
    let stmt = from;
    let out = o;
    for (let guard = 0; guard < 1000; guard++) {
      const list = statementListOf(stmt);
      const holder = list?.parent;
      if (!holder) return;
      let next: Node;
      if (CLAUSE_TYPES.has(holder.type)) {
        const sw = holder.parent;
        if (!sw) return;
        out = this.resolveBreaks(sw, out);
        next = sw;
      } else {
        const bp = holder.parent;
        if (!bp) return;
        if (FUNCTION_TYPES.has(bp.type)) {
          if (out.fall === 'open') this.leak(holder, 'end');
          return;
        }
        if (bp.type === 'for_statement') {
          if (out.fall === 'open') this.leak(bp, 'loop');
          for (const j of out.jumps) if (j.kind === 'continue' && sameNode(j.target, bp) && j.state === 'open') this.leak(j.node, 'continue');
          const breaks = out.jumps.filter((j) => j.kind === 'break' && sameNode(j.target, bp));
          out = { fall: join(...breaks.map((j) => j.state)), jumps: out.jumps.filter((j) => !sameNode(j.target, bp)) };
          next = bp;
        } else if (bp.type === 'if_statement') {
          next = bp;
          while (next.parent?.type === 'if_statement') next = next.parent;
        } else if (bp.type === 'statement_list') {
          next = holder; // a bare `{ ... }` block statement
        } else {
          next = bp;
        }
      }
      if (next.parent?.type === 'labeled_statement') {
        out = this.resolveBreaks(next, out);
        next = next.parent;
      }
      out = this.continueAfter(next, out);
      stmt = next;
    }
  }

  /** Breaks aimed at `target` rejoin the flow after it. */
  private resolveBreaks(target: Node, o: Outcome): Outcome {
    const breaks = o.jumps.filter((j) => j.kind === 'break' && sameNode(j.target, target));
    if (breaks.length === 0) return o;
    return { fall: join(o.fall, ...breaks.map((j) => j.state)), jumps: o.jumps.filter((j) => !breaks.includes(j)) };
  }

  private execList(stmts: readonly Node[], s: State): Outcome {
    let state: State | null = s;
    const jumps: Jump[] = [];
    for (const st of stmts) {
      if (state === null) break;
      const o = this.exec(st, state);
      jumps.push(...o.jumps);
      state = o.fall;
    }
    return { fall: state, jumps };
  }

  private exec(stmt: Node, s: State): Outcome {
    if (s === 'done') return { fall: 'done', jumps: [] };
    switch (stmt.type) {
      case 'return_statement':
        if (!this.hasEvent(stmt)) this.leak(stmt, 'return');
        return { fall: null, jumps: [] };
      case 'break_statement':
      case 'continue_statement': {
        const kind = stmt.type === 'break_statement' ? 'break' : 'continue';
        return { fall: null, jumps: [{ kind, target: jumpTarget(stmt, kind), state: s, node: stmt }] };
      }
      case 'goto_statement':
        return { fall: null, jumps: [] };
      case 'block':
        return this.execList(statementsOf(stmt), s);
      case 'labeled_statement': {
        const inner = namedChildrenOf(stmt).find((c) => c.type !== 'label_name' && c.type !== 'comment');
        return inner ? this.resolveBreaks(inner, this.exec(inner, s)) : { fall: s, jumps: [] };
      }
      case 'if_statement':
        return this.execIf(stmt, s, false);
      case 'for_statement':
        return this.execFor(stmt, s);
      case 'expression_switch_statement':
      case 'type_switch_statement':
      case 'select_statement':
        return this.resolveBreaks(stmt, this.execSwitch(stmt, s, false));
      case 'expression_statement':
        if (this.hasEvent(stmt)) return { fall: 'done', jumps: [] };
        return isNoReturnCall(namedChildrenOf(stmt)[0] ?? stmt) ? { fall: null, jumps: [] } : { fall: s, jumps: [] };
      default:
        return { fall: this.hasEvent(stmt) ? 'done' : s, jumps: [] };
    }
  }

  private execIf(stmt: Node, s: State, skipInit: boolean): Outcome {
    let state = s;
    if (!skipInit && this.hasEvent(stmt.childForFieldName('initializer'))) state = 'done';
    const cond = stmt.childForFieldName('condition');
    if (this.hasEvent(cond)) state = 'done';
    const [consState, altState] = this.branchStates(cond, state);
    const consequence = stmt.childForFieldName('consequence');
    const alternative = stmt.childForFieldName('alternative');
    const c = consequence ? this.exec(consequence, consState) : { fall: consState, jumps: [] };
    const a = alternative ? this.exec(alternative, altState) : { fall: altState, jumps: [] };
    return { fall: join(c.fall, a.fall), jumps: [...c.jumps, ...a.jumps] };
  }

  /** States in the consequence and the alternative of `if cond`, from what cond says about err/the value. */
  private branchStates(cond: Node | null, s: State): [State, State] {
    if (!cond || s === 'done') return [s, s];
    const noValueWhenTrue = (e: Node): boolean => {
      const c = nilComparison(e);
      return !!c && ((c.name === this.q.errName && c.op === '!=') || (c.name === this.q.valueName && c.op === '=='));
    };
    const noValueWhenFalse = (e: Node): boolean => {
      const c = nilComparison(e);
      return !!c && ((c.name === this.q.errName && c.op === '==') || (c.name === this.q.valueName && c.op === '!='));
    };
    const cons = logicalOperands(cond, '&&').some(noValueWhenTrue) ? 'done' : s;
    const alt = logicalOperands(cond, '||').some(noValueWhenFalse) ? 'done' : s;
    return [cons, alt];
  }

  private execFor(stmt: Node, s: State): Outcome {
    let state = s;
    const header = namedChildrenOf(stmt).filter((c) => c.type !== 'block' && c.type !== 'comment');
    if (header.some((h) => this.hasEvent(h))) state = 'done';
    const body = stmt.childForFieldName('body');
    const o = body ? this.exec(body, state) : { fall: state, jumps: [] };
    const mine = (j: Jump): boolean => sameNode(j.target, stmt);
    const breaks = o.jumps.filter((j) => j.kind === 'break' && mine(j)).map((j) => j.state);
    const continues = o.jumps.filter((j) => j.kind === 'continue' && mine(j)).map((j) => j.state);
    const infinite = header.length === 0;
    const fall = infinite ? join(...breaks) : join(state, o.fall, ...continues, ...breaks);
    return { fall, jumps: o.jumps.filter((j) => !mine(j)) };
  }

  private execSwitch(stmt: Node, s: State, skipInit: boolean): Outcome {
    let state = s;
    const header = [stmt.childForFieldName('initializer'), stmt.childForFieldName('value')].filter((n) => !!n);
    if (!skipInit && this.hasEvent(header[0])) state = 'done';
    if (header.slice(1).some((h) => this.hasEvent(h))) state = 'done';
    const clauses = namedChildrenOf(stmt).filter((c) => CLAUSE_TYPES.has(c.type));
    const falls: (State | null)[] = [];
    const jumps: Jump[] = [];
    for (const clause of clauses) {
      const comm = clause.childForFieldName('communication');
      const o = this.execList(statementsOf(clause), this.hasEvent(comm) ? 'done' : state);
      falls.push(o.fall);
      jumps.push(...o.jumps);
    }
    const hasDefault = clauses.some((c) => c.type === 'default_case');
    // A switch without default may run no clause; a select without default blocks until one runs.
    if (!hasDefault && stmt.type !== 'select_statement') falls.push(state);
    return { fall: join(...falls), jumps };
  }
}

/** The loop (continue) or loop/switch/select (break) a jump leaves, honouring labels. */
function jumpTarget(stmt: Node, kind: 'break' | 'continue'): Node | undefined {
  const label = namedChildrenOf(stmt).find((c) => c.type === 'label_name')?.text;
  for (let n = stmt.parent; n; n = n.parent) {
    if (FUNCTION_TYPES.has(n.type)) return undefined;
    if (label !== undefined) {
      if (n.type === 'labeled_statement' && namedChildrenOf(n).find((c) => c.type === 'label_name')?.text === label) {
        return namedChildrenOf(n).find((c) => c.type !== 'label_name' && c.type !== 'comment');
      }
      continue;
    }
    if (n.type === 'for_statement' || (kind === 'break' && SWITCH_TYPES.has(n.type))) return n;
  }
  return undefined;
}
