// Each test file drops its own database; nothing global to undo.
export default async function globalTeardown(): Promise<void> {}
