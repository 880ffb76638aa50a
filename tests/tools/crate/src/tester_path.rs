// tester INPUT CMD...  (older contests)
mod common;
mod tester;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let input = std::fs::read_to_string(&args[1]).unwrap_or_else(|e| {
        eprintln!("cannot read input {}: {}", args[1], e);
        std::process::exit(1)
    });
    tester::run(&input, &args[2..]);
}
