mod diagnostics;
mod yaml;

fn main() {}
