#[test_only]
module sui::package_tests;

use std::unit_test::destroy;
use sui::package::{Self, Publisher};
use sui::test_utils;

/// One-time witness of this module.
public struct PACKAGE_TESTS has drop {}

public struct Local has drop {}

#[test]
fun publisher_identifies_its_module_and_package() {
    let mut ctx = tx_context::dummy();
    let publisher = package::claim(test_utils::create_one_time_witness<PACKAGE_TESTS>(), &mut ctx);
    assert!(publisher.from_package<Local>());
    assert!(publisher.from_module<Local>());
    assert!(publisher.from_package<sui::clock::Clock>());
    assert!(!publisher.from_module<sui::clock::Clock>());
    assert!(!publisher.from_package<std::string::String>());
    assert!(*publisher.published_module() == std::ascii::string(b"package_tests"));
    assert!(
        *publisher.published_package() ==
            std::ascii::string(b"0000000000000000000000000000000000000000000000000000000000000002"),
    );
    publisher.burn();
}

#[test]
#[expected_failure(abort_code = 0, location = sui::package)]
fun claim_without_a_one_time_witness_aborts() {
    let mut ctx = tx_context::dummy();
    let publisher: Publisher = package::claim(Local {}, &mut ctx);
    destroy(publisher);
}

#[test]
fun test_claim_skips_the_witness_check() {
    let mut ctx = tx_context::dummy();
    let publisher = package::test_claim(Local {}, &mut ctx);
    assert!(publisher.from_module<Local>());
    package::burn_publisher(publisher);
}

#[test]
fun upgrade_cycle_bumps_the_version() {
    let mut ctx = tx_context::dummy();
    let pkg = object::id_from_address(@0x1234);
    let mut cap = package::test_publish(pkg, &mut ctx);
    assert!(cap.version() == 1);
    assert!(cap.upgrade_package() == pkg);
    assert!(cap.upgrade_policy() == package::compatible_policy());
    let ticket = cap.authorize_upgrade(package::additive_policy(), b"digest");
    assert!(ticket.ticket_package() == pkg);
    assert!(ticket.ticket_policy() == 128);
    assert!(*ticket.ticket_digest() == b"digest");
    assert!(cap.upgrade_package().to_address() == @0x0);
    let receipt = package::test_upgrade(ticket);
    assert!(receipt.receipt_cap() == object::id(&cap));
    let new_pkg = receipt.receipt_package();
    assert!(new_pkg != pkg);
    cap.commit_upgrade(receipt);
    assert!(cap.version() == 2);
    assert!(cap.upgrade_package() == new_pkg);
    package::only_additive_upgrades(&mut cap);
    package::only_dep_upgrades(&mut cap);
    assert!(cap.upgrade_policy() == package::dep_only_policy());
    package::make_immutable(cap);
}

#[test]
#[expected_failure(abort_code = 1, location = sui::package)]
fun loosening_the_policy_aborts() {
    let mut ctx = tx_context::dummy();
    let mut cap = package::test_publish(object::id_from_address(@0x1), &mut ctx);
    package::only_dep_upgrades(&mut cap);
    package::only_additive_upgrades(&mut cap);
    destroy(cap);
}

#[test]
#[expected_failure(abort_code = 1, location = sui::package)]
fun authorizing_a_more_permissive_upgrade_aborts() {
    let mut ctx = tx_context::dummy();
    let mut cap = package::test_publish(object::id_from_address(@0x1), &mut ctx);
    package::only_additive_upgrades(&mut cap);
    let ticket = cap.authorize_upgrade(package::compatible_policy(), b"");
    destroy(ticket);
    destroy(cap);
}

#[test]
#[expected_failure(abort_code = 2, location = sui::package)]
fun authorizing_twice_aborts() {
    let mut ctx = tx_context::dummy();
    let mut cap = package::test_publish(object::id_from_address(@0x1), &mut ctx);
    let t1 = cap.authorize_upgrade(0, b"");
    let t2 = cap.authorize_upgrade(0, b"");
    destroy(t1);
    destroy(t2);
    destroy(cap);
}

#[test]
#[expected_failure(abort_code = 4, location = sui::package)]
fun committing_to_another_cap_aborts() {
    let mut ctx = tx_context::dummy();
    let mut cap = package::test_publish(object::id_from_address(@0x1), &mut ctx);
    let mut other = package::test_publish(object::id_from_address(@0x2), &mut ctx);
    let ticket = cap.authorize_upgrade(0, b"");
    other.commit_upgrade(package::test_upgrade(ticket));
    destroy(cap);
    destroy(other);
}
