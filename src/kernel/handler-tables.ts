// Joining the shares of an operation table that several modules define (ECR's, IAM's): one table, and a module
// that defines an operation another already has is a mistake found at start, never a handler silently replaced.

/** The modules' shares as one table. Throws naming both modules when two define the same operation. */
export function joinHandlerTables<Table extends object>(modules: Readonly<Record<string, Table>>): Table {
  const joined: Record<string, unknown> = {};
  const definedBy = new Map<string, string>();
  for (const [module, handlers] of Object.entries(modules)) {
    for (const [operation, handler] of Object.entries(handlers)) {
      const earlier = definedBy.get(operation);
      if (earlier !== undefined) throw new Error(`${operation} is defined by both ${earlier} and ${module}`);
      definedBy.set(operation, module);
      joined[operation] = handler;
    }
  }
  return joined as Table;
}
