// gen SEEDS [-d DIR]: writes DIR/NNNN.txt (default in/), line i of SEEDS -> NNNN = i.
mod common;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 2 {
        eprintln!("usage: gen seeds.txt [-d DIR]");
        std::process::exit(1);
    }
    let mut dir = "in".to_string();
    if args.len() >= 4 && (args[2] == "-d" || args[2] == "--dir") {
        dir = args[3].clone();
    }
    let seeds = common::read_seeds(&std::fs::read_to_string(&args[1]).expect("no seeds file"));
    common::write_inputs(&seeds, &dir);
}
