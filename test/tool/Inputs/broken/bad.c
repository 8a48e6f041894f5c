int broken(void) {
  return undeclared_variable;
}
