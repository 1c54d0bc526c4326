// Stripe Elements on the payment page (only with real Stripe keys): the card goes from the browser to Stripe,
// which confirms the PaymentIntent (3-D Secure included); the server then reads the intent back from Stripe.
(function () {
  "use strict";
  var form = document.getElementById("stripe-pay");
  if (!form || typeof Stripe === "undefined") { return; }
  var stripe = Stripe(form.dataset.key);
  var card = stripe.elements().create("card");
  card.mount("#card-element");
  var errors = document.getElementById("card-errors");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    stripe.confirmCardPayment(form.dataset.secret, { payment_method: { card: card } }).then(function (result) {
      if (result.error && result.error.type === "validation_error") {
        errors.textContent = result.error.message;
        button.disabled = false;
        return;
      }
      window.location.assign(form.dataset.return);
    });
  });
})();
