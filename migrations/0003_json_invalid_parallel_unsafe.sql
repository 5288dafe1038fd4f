-- json_invalid(text) catches the cast's error in a subtransaction, which PostgreSQL cannot start
-- in a parallel plan ("cannot start subtransactions during a parallel operation"): a large scan
-- of a TEXT column could fail once the planner chose one. It is never run in parallel now.
ALTER FUNCTION pattern_ledger.json_invalid(text) PARALLEL UNSAFE;
