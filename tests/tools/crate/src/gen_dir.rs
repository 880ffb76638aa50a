// gen SEEDS -d DIR: the output folder is required here (no default).
mod common;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 || args[2] != "-d" {
        eprintln!("error: the following required arguments were not provided: -d <DIR>");
        std::process::exit(2);
    }
    let seeds = common::read_seeds(&std::fs::read_to_string(&args[1]).expect("no seeds file"));
    common::write_inputs(&seeds, &args[3]);
}
