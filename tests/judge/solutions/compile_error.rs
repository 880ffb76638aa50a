fn main() {
    let total: i64 = "not a number";
    println!("{}", total);
}
