import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * The optional fields of every interface the package exports, with what their TSDoc lacks:
 * a description, or the `@default` a user reads in the editor to know what leaving it out does.
 */
function undocumentedOptionalFields(): string[] {
  const index = path.resolve(__dirname, '../../lib/index.ts');
  const program = ts.createProgram([index], { noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(index)!)!;
  const missing: string[] = [];
  for (const exported of checker.getExportsOfModule(module)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    // Resolved* interfaces are what a construct resolved (its `config`), not props: nothing in them is left out by a user.
    if (!(symbol.flags & ts.SymbolFlags.Interface) || exported.getName().startsWith('Resolved')) continue;
    for (const field of checker.getDeclaredTypeOfSymbol(symbol).getProperties()) {
      if (!(field.flags & ts.SymbolFlags.Optional)) continue;
      const lacks = [
        ...(ts.displayPartsToString(field.getDocumentationComment(checker)) ? [] : ['a description']),
        ...(field.getJsDocTags().some((tag) => tag.name === 'default') ? [] : ['@default']),
      ];
      if (lacks.length > 0) missing.push(`${exported.getName()}.${field.getName()}: ${lacks.join(', ')}`);
    }
  }
  return missing;
}

test('every optional field of the public props says what it does and its default', () => {
  expect(undocumentedOptionalFields()).toEqual([]);
});
