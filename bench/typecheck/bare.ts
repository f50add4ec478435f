// Imports nothing: what tsc costs before any library is read (the standard library and @types/node).
export const main = async (): Promise<void> => {
  console.log('bare')
}
